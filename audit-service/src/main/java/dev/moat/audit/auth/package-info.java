/**
 * Who may read the audit trail: administrators with a bearer token of the configured issuer (RS256, its JWKS,
 * {@code iss}, {@code aud}, {@code exp}/{@code nbf}, checked by the shared {@code dev.moat.token} verifier). This
 * package maps the verified caller to the right to read, and each refusal to ARM's answer; the one HTTP filter that
 * applies it is {@code dev.moat.audit.api.AdministratorsOnly}.
 */
package dev.moat.audit.auth;
