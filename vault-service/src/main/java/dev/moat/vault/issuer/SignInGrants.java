package dev.moat.vault.issuer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import dev.moat.token.Claims;
import dev.moat.token.Expectation;
import dev.moat.token.KeySet;
import dev.moat.token.TokenVerifier;
import dev.moat.token.TrustedIssuer;
import dev.moat.token.Verification;

/**
 * Authorization codes and refresh tokens of the sign-in flow, as JWTs signed with the issuer's key: every replica
 * can redeem what another minted, so the issuer stays stateless. Their audience is {@value #AUDIENCE}, which no Moat
 * service accepts, and a {@code moat_grant} claim tells a code from a refresh token, so neither passes as an access
 * token nor as the other. A code is single use (remembered until it expires; across replicas PKCE still binds it to
 * the {@code code_verifier} only its client holds) and lives {@link #CODE_LIFETIME}. They are verified by the shared
 * {@link TokenVerifier}, as any token in Moat, with the issuer's own key as the only trusted one.
 */
@ApplicationScoped
public class SignInGrants {

    static final String AUDIENCE = "urn:moat:issuer:grant";
    /** The {@code iss} of a grant: the issuer's own, never an issuer any service trusts. */
    static final String ISSUER = "urn:moat:issuer";
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    /** What an authorization code stands for. */
    public record Code(String tenant, String clientId, String redirectUri, String codeChallenge, String userName,
            String nonce, String scope) {
    }

    /** What a refresh token stands for. */
    public record Refresh(String tenant, String clientId, String userName) {
    }

    private final SigningKey key;
    private final Map<String, Instant> redeemed = new ConcurrentHashMap<>();
    /** Grants are exact about time, as before ({@code exp} without skew), and each is verified once: none cached. */
    private final TokenVerifier verifier = new TokenVerifier(Duration.ZERO, 0, Clock.systemUTC());
    private final Expectation grants;

    public SignInGrants(SigningKey key) {
        this.key = key;
        // the issuer's current key, read at each verification (it may be rotated)
        KeySet own = kid -> KeySet.select(List.of(key.publicJwk()), kid);
        this.grants = new Expectation(List.of(new TrustedIssuer("the built-in issuer's grants", ISSUER, own)),
                Set.of(AUDIENCE));
    }

    public String code(Code code) {
        JwtClaims claims = claims("code", CODE_LIFETIME);
        claims.setClaim("tid", code.tenant());
        claims.setClaim("client_id", code.clientId());
        claims.setClaim("redirect_uri", code.redirectUri());
        claims.setClaim("code_challenge", code.codeChallenge());
        claims.setClaim("user", code.userName());
        if (code.nonce() != null) {
            claims.setClaim("nonce", code.nonce());
        }
        claims.setClaim("scope", code.scope());
        return key.sign(claims, null);
    }

    public String refresh(Refresh refresh, Duration lifetime) {
        JwtClaims claims = claims("refresh", lifetime);
        claims.setClaim("tid", refresh.tenant());
        claims.setClaim("client_id", refresh.clientId());
        claims.setClaim("user", refresh.userName());
        return key.sign(claims, null);
    }

    /** The code, once: empty when it is not one of ours, has expired, or was redeemed before. */
    public Optional<Code> redeemCode(String value) {
        Optional<Claims> claims = verify(value, "code");
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        Claims c = claims.get();
        Instant now = Instant.now();
        redeemed.values().removeIf(until -> until.isBefore(now));
        if (redeemed.putIfAbsent(c.texts().get("jti"), c.expiresAt()) != null) {
            return Optional.empty();
        }
        return Optional.of(new Code(c.texts().get("tid"), c.texts().get("client_id"), c.texts().get("redirect_uri"),
                c.texts().get("code_challenge"), c.texts().get("user"), c.texts().get("nonce"), c.texts().get("scope")));
    }

    public Optional<Refresh> redeemRefresh(String value) {
        return verify(value, "refresh").map(c -> new Refresh(c.texts().get("tid"), c.texts().get("client_id"),
                c.texts().get("user")));
    }

    private static JwtClaims claims(String grant, Duration lifetime) {
        long now = Instant.now().getEpochSecond();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setClaim("moat_grant", grant);
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + lifetime.toSeconds()));
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    /** The grant's claims when it is one of ours, of this kind, with an id, and not expired. */
    private Optional<Claims> verify(String value, String grant) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (verifier.verify(value, grants) instanceof Verification.Verified verified
                && grant.equals(verified.claims().texts().get("moat_grant"))
                && verified.claims().text("jti").isPresent()) {
            return Optional.of(verified.claims());
        }
        return Optional.empty();
    }
}
