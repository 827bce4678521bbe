package dev.moat.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The one minting of a Moat service's own bearer tokens towards another Moat service (vault-service's and
 * audit-service's identity towards policy-service, ADR 0002): RS256 JWTs signed with the service's PKCS#8 RSA key,
 * with its issuer and the receiver's audience, a fresh {@code jti}, a {@code nbf} 30 s back for clock skew, and the
 * roles the caller holds. Tokens are never logged; the key is never exposed.
 */
public final class TokenMinter {

    /** How far back {@code nbf} lies, so that a receiver whose clock is slightly behind still accepts the token. */
    private static final long NOT_BEFORE_SKEW_SECONDS = 30;

    private final PrivateKey key;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    /**
     * @param pem the PEM file of the signing key (PKCS#8, {@code BEGIN PRIVATE KEY}), read now
     * @param setting the configuration property that names {@code pem}, for the error when it cannot be read
     * @throws IllegalStateException naming the file when it cannot be read or holds no PKCS#8 RSA private key
     */
    public TokenMinter(Path pem, String setting, String issuer, String audience, Clock clock) {
        this.key = readPrivateKey(pem, setting);
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /**
     * A token for {@code subject}, valid from now for {@code lifetime}, with {@code claims} added as they are (in
     * the map's order; a null value is written as JSON null).
     */
    public String mint(String subject, Duration lifetime, List<String> roles, Map<String, String> claims) {
        Instant now = clock.instant();
        JwtClaims jwt = new JwtClaims();
        jwt.setIssuer(issuer);
        jwt.setAudience(audience);
        jwt.setSubject(subject);
        claims.forEach(jwt::setClaim);
        jwt.setJwtId(UUID.randomUUID().toString());
        jwt.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        jwt.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond() - NOT_BEFORE_SKEW_SECONDS));
        jwt.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        jwt.setStringListClaim("roles", roles);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(jwt.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign " + subject + "'s token for " + audience, e);
        }
    }

    /**
     * The service's own token (its name as {@code sub} and {@code appid}), minted on first use and again once half
     * of {@code lifetime} has passed, so that a token in flight never expires on the way. Safe for concurrent use.
     */
    public Supplier<String> renewing(String service, Duration lifetime, List<String> roles) {
        return new Renewing(service, lifetime, List.copyOf(roles));
    }

    private final class Renewing implements Supplier<String> {

        private record Minted(String token, Instant renewAfter) {
        }

        private final String service;
        private final Duration lifetime;
        private final List<String> roles;
        private volatile Minted current;

        Renewing(String service, Duration lifetime, List<String> roles) {
            this.service = service;
            this.lifetime = lifetime;
            this.roles = roles;
        }

        @Override
        public String get() {
            Minted minted = current;
            Instant now = clock.instant();
            if (minted == null || now.isAfter(minted.renewAfter())) {
                minted = new Minted(mint(service, lifetime, roles, Map.of("appid", service)),
                        now.plus(lifetime.dividedBy(2)));
                current = minted;
            }
            return minted.token();
        }
    }

    private static PrivateKey readPrivateKey(Path pem, String setting) {
        try {
            String text = Files.readString(pem);
            if (text.contains("BEGIN RSA PRIVATE KEY")) {
                throw new IllegalStateException(pem + " is PKCS#1; give a PKCS#8 key (BEGIN PRIVATE KEY)");
            }
            String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + setting + " " + pem, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(pem + " is not a PEM RSA private key (PKCS#8)", e);
        }
    }
}
