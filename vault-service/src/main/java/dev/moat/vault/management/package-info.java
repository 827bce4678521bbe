/**
 * The ARM-compatible management plane on the bare host: {@code Microsoft.KeyVault/vaults} (stored here, network
 * rules forwarded to policy-service) and {@code Microsoft.Network/virtualNetworks} (stored by policy-service).
 * Authenticated with management-audience tokens, authorised for administrators and vault owners, never firewalled.
 */
package dev.moat.vault.management;
