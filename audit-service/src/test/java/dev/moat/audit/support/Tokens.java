package dev.moat.audit.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.restassured.RestAssured;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;

import dev.moat.testing.tokens.SigningKey;

/**
 * Real RS256 tokens for the query API, shaped as vault-service's built-in issuer shapes management tokens, signed
 * with a test key whose JWKS is written to {@link #JWKS} (the {@code %test} profile's {@code moat.audit.auth.jwks})
 * before any token exists, so before the service first fetches it.
 */
public final class Tokens {

    /** The {@code %test} profile's values (application.properties). */
    public static final String TENANT = "00000000-0000-0000-0000-00000000c0de";
    public static final String ISSUER = "https://localhost:8443/" + TENANT + "/v2.0";
    public static final String AUDIENCE = "https://management.localhost";
    public static final String ADMIN_OID = "0b1ec700-0000-0000-0000-0000000ad111";
    public static final Path JWKS = Path.of("target", "test-auth", "jwks.json");

    public static final String KID = "audit-test-key";
    /** The key the JWKS publishes. */
    public static final SigningKey TRUSTED;
    /** A key nobody publishes. */
    public static final SigningKey UNTRUSTED;

    static {
        Path dir = JWKS.getParent();
        TRUSTED = SigningKey.generate(dir.resolve("trusted"));
        UNTRUSTED = SigningKey.generate(dir.resolve("untrusted"));
        try {
            Files.writeString(JWKS, jwks(TRUSTED, KID));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Tokens() {
    }

    /** A JWKS document with the public half of {@code key}. */
    public static String jwks(SigningKey key, String kid) {
        return new JsonWebKeySet(jwk(key, kid)).toJson();
    }

    /** The public half of {@code key} as a JWK, the way an issuer publishes it. */
    public static RsaJsonWebKey jwk(SigningKey key, String kid) {
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) key.keyPair().getPublic());
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jwk;
    }

    /** The claims of a valid management token (one hour from now) of the caller {@code oid}. */
    public static JwtClaims claims(String oid) {
        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(Duration.ofHours(1)).getEpochSecond()));
        claims.setSubject(oid);
        claims.setClaim("tid", TENANT);
        claims.setClaim("oid", oid);
        String appid = UUID.randomUUID().toString();
        claims.setClaim("appid", appid);
        claims.setClaim("azp", appid);
        claims.setClaim("idtyp", "app");
        claims.setClaim("ver", "2.0");
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    /** Signed RS256 with the trusted key, naming its {@code kid}. */
    public static String sign(JwtClaims claims) {
        return sign(claims, TRUSTED, KID);
    }

    public static String sign(JwtClaims claims, SigningKey key, String kid) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.keyPair().getPrivate());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token of the administrator. */
    public static String admin() {
        return sign(claims(ADMIN_OID));
    }

    /** A rest-assured request carrying the administrator's token. */
    public static RequestSpecification asAdmin() {
        return request().header("Authorization", "Bearer " + admin());
    }

    /** A rest-assured request whose {@code Authorization} header is blanked when a failed check logs the request. */
    public static RequestSpecification request() {
        RestAssuredConfig config = RestAssured.config();
        return given().config(config.logConfig(config.getLogConfig().blacklistHeader("Authorization")));
    }
}
