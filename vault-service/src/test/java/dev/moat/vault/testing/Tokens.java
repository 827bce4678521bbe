package dev.moat.vault.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.restassured.RestAssured;

/** Mints tokens of the test issuer ({@link TestIdentity}) for the principals the tests use. */
public final class Tokens {

    public static final String TENANT = "00000000-0000-0000-0000-00000000c0de";
    /** Listed in moat.vault.management.administrators (test application.properties). */
    public static final String ADMIN = "a0000000-0000-0000-0000-000000000001";
    public static final String ALICE = "a1100000-0000-0000-0000-000000000002";
    public static final String BOB = "b0b00000-0000-0000-0000-000000000003";
    /** Listed in moat.vault.management.readers: reads every vault and network, changes none. */
    public static final String READER = "4ead0000-0000-0000-0000-000000000004";
    public static final String APP = "11111111-2222-3333-4444-555555555555";

    private String audience;
    private String objectId = ALICE;
    private String applicationId = APP;
    private String tenant = TENANT;
    private String issuer;
    private Instant notBefore = Instant.now().minusSeconds(5);
    private Instant expires = Instant.now().plus(Duration.ofHours(1));
    private RsaJsonWebKey key = TestIdentity.trusted();
    private String algorithm = AlgorithmIdentifiers.RSA_USING_SHA256;

    private Tokens(String audience) {
        this.audience = audience;
    }

    /** A token for the data plane, audience {@code https://vault.localhost:{port}}. */
    public static Tokens dataPlane() {
        return new Tokens("https://vault.localhost:" + RestAssured.port);
    }

    /** A token for the management plane, audience {@code https://management.localhost}. */
    public static Tokens management() {
        return new Tokens("https://management.localhost");
    }

    public Tokens audience(String value) {
        this.audience = value;
        return this;
    }

    public Tokens objectId(String value) {
        this.objectId = value;
        return this;
    }

    public Tokens applicationId(String value) {
        this.applicationId = value;
        return this;
    }

    public Tokens tenant(String value) {
        this.tenant = value;
        return this;
    }

    public Tokens issuer(String value) {
        this.issuer = value;
        return this;
    }

    public Tokens expired() {
        this.notBefore = Instant.now().minus(Duration.ofHours(2));
        this.expires = Instant.now().minus(Duration.ofHours(1));
        return this;
    }

    public Tokens notYetValid() {
        this.notBefore = Instant.now().plus(Duration.ofHours(1));
        return this;
    }

    public Tokens signedByStranger() {
        this.key = TestIdentity.stranger();
        return this;
    }

    public Tokens algorithm(String value) {
        this.algorithm = value;
        return this;
    }

    public String jwt() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer != null ? issuer : TestIdentity.ISSUER_TEMPLATE.replace("{tenant}", tenant));
        claims.setAudience(audience);
        claims.setNotBefore(NumericDate.fromSeconds(notBefore.getEpochSecond()));
        claims.setIssuedAt(NumericDate.fromSeconds(notBefore.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        claims.setClaim("tid", tenant);
        claims.setClaim("oid", objectId);
        claims.setSubject(objectId);
        if (applicationId != null) {
            claims.setClaim("appid", applicationId);
        }
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(algorithm);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code Authorization} header value. */
    public String bearer() {
        return "Bearer " + jwt();
    }
}
