package dev.moat.vault.issuer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.lang.JoseException;

/**
 * Authorization codes and refresh tokens of the sign-in flow, as JWTs signed with the issuer's key: every replica
 * can redeem what another minted, so the issuer stays stateless. Their audience is {@value #AUDIENCE}, which no Moat
 * service accepts, and a {@code moat_grant} claim tells a code from a refresh token, so neither passes as an access
 * token nor as the other. A code is single use (remembered until it expires; across replicas PKCE still binds it to
 * the {@code code_verifier} only its client holds) and lives {@link #CODE_LIFETIME}.
 */
@ApplicationScoped
public class SignInGrants {

    static final String AUDIENCE = "urn:moat:issuer:grant";
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

    public SignInGrants(SigningKey key) {
        this.key = key;
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
        return sign(claims);
    }

    public String refresh(Refresh refresh, Duration lifetime) {
        JwtClaims claims = claims("refresh", lifetime);
        claims.setClaim("tid", refresh.tenant());
        claims.setClaim("client_id", refresh.clientId());
        claims.setClaim("user", refresh.userName());
        return sign(claims);
    }

    /** The code, once: empty when it is not one of ours, has expired, or was redeemed before. */
    public Optional<Code> redeemCode(String value) {
        Optional<JwtClaims> claims = verify(value, "code");
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        try {
            JwtClaims c = claims.get();
            Instant expires = Instant.ofEpochSecond(c.getExpirationTime().getValue());
            Instant now = Instant.now();
            redeemed.values().removeIf(until -> until.isBefore(now));
            if (redeemed.putIfAbsent(c.getJwtId(), expires) != null) {
                return Optional.empty();
            }
            return Optional.of(new Code(c.getStringClaimValue("tid"), c.getStringClaimValue("client_id"),
                    c.getStringClaimValue("redirect_uri"), c.getStringClaimValue("code_challenge"),
                    c.getStringClaimValue("user"), c.getStringClaimValue("nonce"), c.getStringClaimValue("scope")));
        } catch (MalformedClaimException e) {
            return Optional.empty();
        }
    }

    public Optional<Refresh> redeemRefresh(String value) {
        return verify(value, "refresh").flatMap(c -> {
            try {
                return Optional.of(new Refresh(c.getStringClaimValue("tid"), c.getStringClaimValue("client_id"),
                        c.getStringClaimValue("user")));
            } catch (MalformedClaimException e) {
                return Optional.empty();
            }
        });
    }

    private static JwtClaims claims(String grant, Duration lifetime) {
        long now = Instant.now().getEpochSecond();
        JwtClaims claims = new JwtClaims();
        claims.setAudience(AUDIENCE);
        claims.setClaim("moat_grant", grant);
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + lifetime.toSeconds()));
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    private String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.jwk().getPrivateKey());
        jws.setKeyIdHeaderValue(key.jwk().getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a grant", e);
        }
    }

    private Optional<JwtClaims> verify(String value, String grant) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(key.jwk().getPublicKey())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedAudience(AUDIENCE)
                .setRequireExpirationTime()
                .setRequireJwtId()
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(value);
            return grant.equals(claims.getClaimValue("moat_grant")) ? Optional.of(claims) : Optional.empty();
        } catch (InvalidJwtException e) {
            return Optional.empty();
        }
    }
}
