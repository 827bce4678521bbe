package dev.moat.vault.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Optional;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.vault.tls.LocalCertificates;

/**
 * Replicas share the built-in issuer's signing key through {@code moat.vault.token-issuer.signing-key-file}: a token
 * one replica signs is accepted by another, and a configured key that is missing is an error, never a new key.
 */
class SigningKeyTest {

    @TempDir
    Path dir;

    @Test
    void two_replicas_given_one_key_file_accept_each_others_tokens() throws Exception {
        Path shared = dir.resolve("shared.pem");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        LocalCertificates.writeKey(shared, rsa.generateKeyPair().getPrivate());
        SigningKey one = new SigningKey(dir.resolve("data-1").toString(), Optional.of(shared.toString()));
        SigningKey two = new SigningKey(dir.resolve("data-2").toString(), Optional.of(shared.toString()));

        JwtClaims claims = new JwtClaims();
        claims.setSubject("app");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(one.jwk().getPrivateKey());
        jws.setKeyIdHeaderValue(one.jwk().getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        String minted = jws.getCompactSerialization();

        assertThat(two.publicJwk().getKeyId()).isEqualTo(one.publicJwk().getKeyId());
        JwtClaims accepted = new JwtConsumerBuilder().setVerificationKey(two.publicJwk().getKey())
                .setSkipDefaultAudienceValidation().setRequireSubject().build().processToClaims(minted);
        assertThat(accepted.getSubject()).isEqualTo("app");
        assertThat(dir.resolve("data-1")).as("nothing generated").doesNotExist();
    }

    @Test
    void replicas_without_a_key_file_each_make_their_own_key() {
        SigningKey one = new SigningKey(dir.resolve("data-1").toString(), Optional.empty());
        SigningKey two = new SigningKey(dir.resolve("data-2").toString(), Optional.empty());

        assertThat(one.publicJwk().getKeyId()).isNotEqualTo(two.publicJwk().getKeyId());
        assertThat(dir.resolve("data-1/vault/issuer/signing-key.pem")).exists();
    }

    @Test
    void a_configured_key_file_that_is_missing_is_an_error_not_a_new_key() {
        Path missing = dir.resolve("missing.pem");
        SigningKey key = new SigningKey(dir.toString(), Optional.of(missing.toString()));

        assertThatThrownBy(key::jwk).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("moat.vault.token-issuer.signing-key-file");
        assertThat(Files.exists(missing)).isFalse();
    }
}
