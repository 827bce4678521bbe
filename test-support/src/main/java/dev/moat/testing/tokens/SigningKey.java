package dev.moat.testing.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * An RSA key pair for tests that need real signed tokens (RS256), with its public key written as PEM; made by
 * {@link #generate}. A test-only key, never a secret of any deployment.
 */
public record SigningKey(KeyPair keyPair, Path publicKeyPem) {

    /** Generates a key and writes {@code public.pem} into {@code dir}. */
    public static SigningKey generate(Path dir) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(dir);
            Path pem = dir.resolve("public.pem");
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            return new SigningKey(pair, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token valid from now for {@code lifetime} (negative for an expired one), with the given roles and claims. */
    public String token(String issuer, String audience, List<String> roles, Duration lifetime, Map<String, Object> claims) {
        JwtClaims jwt = new JwtClaims();
        jwt.setIssuer(issuer);
        jwt.setAudience(audience);
        jwt.setSubject("test-caller");
        Instant now = Instant.now();
        jwt.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        jwt.setNotBefore(NumericDate.fromSeconds(now.minusSeconds(60).getEpochSecond()));
        jwt.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        jwt.setStringListClaim("roles", roles);
        claims.forEach(jwt::setClaim);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(jwt.toJson());
        jws.setKey(keyPair.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
