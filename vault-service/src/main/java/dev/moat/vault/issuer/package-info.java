/**
 * The built-in, Entra-compatible token issuer for local use: client credentials at
 * {@code POST /{tenant}/oauth2/v2.0/token} (Entra v2.0 style) and {@code POST /adfs/oauth2/token} (ADFS style) on the
 * bare host, clients from configuration, an RSA signing key kept in the data directory, and the OpenID discovery
 * documents and JWKS that describe both authorities.
 */
package dev.moat.vault.issuer;
