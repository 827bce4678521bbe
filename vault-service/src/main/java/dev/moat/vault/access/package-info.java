/**
 * Key Vault access policies: which caller (tenant, object id, optionally the application acting for it) holds which
 * permissions on keys, secrets, certificates and storage. The data-plane pipeline asks here after the firewall.
 */
package dev.moat.vault.access;
