/**
 * The one bearer-token check of every Moat service: {@link dev.moat.token.TokenVerifier} verifies an RS256 JWT
 * against an {@link dev.moat.token.Expectation} (trusted issuers with their {@link dev.moat.token.KeySet}s, and
 * audiences) and answers a {@link dev.moat.token.Verification}; each service maps the verified
 * {@link dev.moat.token.Claims} to its own rights and each refusal to its own error answer; and
 * {@link dev.moat.token.TokenMinter} mints the tokens a service shows another Moat service. Plain Java over jose4j
 * and Caffeine, no framework, so that it is tested without a service starting.
 */
package dev.moat.token;
