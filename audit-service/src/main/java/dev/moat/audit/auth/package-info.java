/**
 * Who may read the audit trail: administrators with a bearer token of the configured issuer (RS256, its JWKS,
 * {@code iss}, {@code aud}, {@code exp}/{@code nbf}). Plain Java over jose4j; the one HTTP filter that applies it is
 * {@code dev.moat.audit.api.AdministratorsOnly}.
 */
package dev.moat.audit.auth;
