/**
 * HTTPS for the vault hosts and the bare host: the certificate Quarkus serves, either configured or a local CA and
 * server certificate generated on first start.
 */
package dev.moat.vault.tls;
