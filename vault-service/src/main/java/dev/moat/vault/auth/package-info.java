/**
 * Who is calling: bearer JWT validation (RS256 signature against trusted keys, {@code iss}, {@code aud},
 * {@code exp}, {@code nbf}) for the data plane's and the management plane's audiences, and the Key Vault challenge
 * that tells the Azure SDK where to get a token.
 */
package dev.moat.vault.auth;
