package dev.moat.vault.firewall;

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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import dev.moat.vault.auth.Identity;
import io.grpc.CallCredentials;
import io.grpc.Metadata;

/**
 * vault-service's identity towards policy-service: a short-lived RS256 JWT with the roles {@code Policy.Check} (the
 * firewall question) and {@code Policy.Admin} (the management plane's network rules), minted with the configured
 * key and renewed at half-life; and, for each management change, a short token naming the user as the actor
 * ({@link #forActor}). Tokens are never logged.
 */
@ApplicationScoped
public class ServiceToken extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration ACTOR_TOKEN_LIFETIME = Duration.ofMinutes(2);

    private final Optional<PrivateKey> key;
    private final PolicyClientConfig config;
    private final Clock clock;
    private volatile Minted current;

    private record Minted(String token, Instant renewAfter) {
    }

    public ServiceToken(PolicyClientConfig config) {
        this.config = config;
        this.key = config.signingKeyLocation().map(location -> readPrivateKey(Path.of(location)));
        this.clock = Clock.systemUTC();
    }

    /** Whether a key is configured; without one, calls go out without a token. */
    public boolean configured() {
        return key.isPresent();
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token());
        applier.apply(headers);
    }

    /**
     * A short token for one management change made for {@code actor}, after vault-service has authorised them: role
     * {@code Policy.Admin}, and the user's {@code tid}/{@code oid}/{@code appid}, which policy-service records as the
     * change's actor (ADR 0002). Empty when no key is configured.
     */
    public Optional<String> forActor(Identity actor) {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setAudience(config.audience());
        claims.setSubject(actor.objectId());
        claims.setClaim("tid", actor.tenantId());
        claims.setClaim("oid", actor.objectId());
        claims.setClaim("appid", actor.applicationId());
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond() - 30));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ACTOR_TOKEN_LIFETIME).getEpochSecond()));
        claims.setStringListClaim("roles", List.of("Policy.Admin"));
        return Optional.of("Bearer " + sign(claims));
    }

    String token() {
        Minted minted = current;
        Instant now = clock.instant();
        if (minted == null || now.isAfter(minted.renewAfter())) {
            minted = mint(now);
            current = minted;
        }
        return minted.token();
    }

    private Minted mint(Instant now) {
        Duration lifetime = config.tokenLifetime();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setAudience(config.audience());
        claims.setSubject("vault-service");
        claims.setClaim("appid", "vault-service");
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond() - 30));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setStringListClaim("roles", List.of("Policy.Check", "Policy.Admin"));
        return new Minted(sign(claims), now.plus(lifetime.dividedBy(2)));
    }

    private String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.orElseThrow());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign vault-service's token for policy-service", e);
        }
    }

    private static PrivateKey readPrivateKey(Path pem) {
        try {
            String text = Files.readString(pem);
            if (text.contains("BEGIN RSA PRIVATE KEY")) {
                throw new IllegalStateException(pem + " is PKCS#1; give a PKCS#8 key (BEGIN PRIVATE KEY)");
            }
            String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read moat.vault.policy.signing-key-location " + pem, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(pem + " is not a PEM RSA private key (PKCS#8)", e);
        }
    }
}
