package dev.moat.token;

import java.time.Instant;
import java.util.function.Consumer;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import dev.moat.testing.tokens.ForgedTokens;

/** An issuer's RSA key for tests, and the tokens it signs. */
record TestKey(RsaJsonWebKey jwk) {

    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String ISSUER = "https://login.example.com/{tenant}/v2.0";
    static final String AUDIENCE = "https://management.localhost";

    static TestKey generate(String kid) {
        try {
            RsaJsonWebKey jwk = RsaJwkGenerator.generateJwk(2048);
            jwk.setKeyId(kid);
            jwk.setUse("sig");
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return new TestKey(jwk);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWKS document publishing these keys' public halves. */
    static String jwks(TestKey... keys) {
        JsonWebKeySet set = new JsonWebKeySet();
        for (TestKey key : keys) {
            set.addJsonWebKey(key.publicJwk());
        }
        return set.toJson();
    }

    PublicJsonWebKey publicJwk() {
        try {
            PublicJsonWebKey pub = PublicJsonWebKey.Factory.newPublicJwk(jwk.getPublicKey());
            pub.setKeyId(jwk.getKeyId());
            return pub;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Valid claims of the test issuer for {@link #AUDIENCE}, for ten minutes from {@code now}, edited by the test. */
    static JwtClaims claims(Instant now, Consumer<JwtClaims> edit) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER.replace("{tenant}", TENANT));
        claims.setClaim("tid", TENANT);
        claims.setAudience(AUDIENCE);
        claims.setClaim("oid", "0b1ec700-0000-0000-0000-00000000a11c");
        claims.setClaim("appid", "04b07795-8ddb-461a-bbee-02f9e1bf7b46");
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plusSeconds(600).getEpochSecond()));
        edit.accept(claims);
        return claims;
    }

    /** RS256 under this key's {@code kid}. */
    String sign(JwtClaims claims) {
        return signAs(claims, jwk.getKeyId());
    }

    /** RS256 under any {@code kid} (null: none). */
    String signAs(JwtClaims claims, String kid) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setKey(jwk.getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic confusion: an HMAC keyed with the public key, which anyone has. */
    String hs256WithThePublicKey(JwtClaims claims) {
        return ForgedTokens.hs256WithThePublicKey(claims, jwk.getPublicKey(), jwk.getKeyId());
    }

    static String unsigned(JwtClaims claims) {
        return ForgedTokens.unsigned(claims);
    }
}
