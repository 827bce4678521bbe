/**
 * The built-in, Entra-compatible token issuer for local use: client credentials at
 * {@code POST /{tenant}/oauth2/v2.0/token} (Entra v2.0 style) and {@code POST /adfs/oauth2/token} (ADFS style) on the
 * bare host, clients from configuration, an RSA signing key kept in the data directory, and the OpenID discovery
 * documents and JWKS that describe both authorities; and the sign-in of people (the console's):
 * the authorize endpoint {@code /{tenant}/oauth2/v2.0/authorize} with a sign-in form for local users whose passwords
 * are PBKDF2 hashes, the authorization code grant with PKCE (S256) and the refresh token grant. Every token is signed
 * by {@link dev.moat.vault.issuer.TokenIssuer}.
 */
package dev.moat.vault.issuer;
