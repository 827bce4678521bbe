/**
 * The built-in, Entra-compatible token issuer for local use: client credentials at
 * {@code POST /{tenant}/oauth2/v2.0/token} on the bare host, clients from configuration, an RSA signing key kept in
 * the data directory, and the JWKS and OpenID metadata that describe it.
 */
package dev.moat.vault.issuer;
