package dev.moat.vault.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A token issuer for tests, trusted by the service through {@code moat.vault.auth.issuers.test} (a JWKS file), so that
 * tests can mint any token: expired, not yet valid, for another audience, or signed by a key nobody trusts.
 */
public class TestIdentity implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER_TEMPLATE = "https://test-issuer.moat.example/{tenant}/v2.0";
    private static final Path DIR = Path.of("target", "test-identity");

    /**
     * The keys live in files, not only in memory: this resource and the tests may be loaded by different class
     * loaders, and both must sign and trust the same key.
     */
    static RsaJsonWebKey key(String kid) {
        Path file = DIR.resolve(kid + ".jwk.json");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(DIR);
                Files.writeString(file, generate(kid).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            }
            return (RsaJsonWebKey) JsonWebKey.Factory.newJwk(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static RsaJsonWebKey trusted() {
        return key("trusted");
    }

    static RsaJsonWebKey stranger() {
        return key("stranger");
    }

    @Override
    public Map<String, String> start() {
        try {
            Path jwks = DIR.resolve("jwks.json");
            RsaJsonWebKey trusted = trusted();
            Files.writeString(jwks, new JsonWebKeySet(List.of(trusted))
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            Path internalKey = DIR.resolve("internal-signing.key.pem");
            if (!Files.exists(internalKey)) {
                java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                dev.moat.vault.tls.LocalCertificates.writeKey(internalKey, generator.generateKeyPair().getPrivate());
            }
            return Map.of("moat.vault.auth.issuers.test.issuer", ISSUER_TEMPLATE,
                    "moat.vault.auth.issuers.test.jwks", jwks.toAbsolutePath().toString(),
                    "moat.vault.policy.signing-key-location", internalKey.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }

    private static RsaJsonWebKey generate(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
