package dev.moat.audit.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import dev.moat.audit.config.AuditConfig;

/**
 * audit-service's identity towards policy-service (ADR 0002): a short-lived RS256 JWT with the one role it needs,
 * {@code Policy.Evaluate} (decide proposed rule sets; it can change nothing), minted with the configured internal
 * key and renewed at half-life. Never logged.
 */
@ApplicationScoped
public class PolicyToken {

    static final String ROLE = "Policy.Evaluate";

    private final AuditConfig.Policy config;
    private final Optional<PrivateKey> key;
    private volatile Minted current;

    private record Minted(String token, Instant renewAfter) {
    }

    public PolicyToken(AuditConfig config) {
        this.config = config.policy();
        this.key = this.config.signingKeyLocation().map(location -> readPrivateKey(Path.of(location)));
    }

    /** The {@code authorization} header value; empty when no key is configured. */
    public Optional<String> bearer() {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Minted minted = current;
        Instant now = Instant.now();
        if (minted == null || now.isAfter(minted.renewAfter())) {
            minted = mint(now);
            current = minted;
        }
        return Optional.of("Bearer " + minted.token());
    }

    private Minted mint(Instant now) {
        Duration lifetime = config.tokenLifetime();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setAudience(config.audience());
        claims.setSubject("audit-service");
        claims.setClaim("appid", "audit-service");
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond() - 30));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setStringListClaim("roles", List.of(ROLE));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.orElseThrow());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return new Minted(jws.getCompactSerialization(), now.plus(lifetime.dividedBy(2)));
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign audit-service's token for policy-service", e);
        }
    }

    private static PrivateKey readPrivateKey(Path pem) {
        try {
            String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read moat.audit.policy.signing-key-location " + pem, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(pem + " is not a PEM RSA private key (PKCS#8)", e);
        }
    }
}
