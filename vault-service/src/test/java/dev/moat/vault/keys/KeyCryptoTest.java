package dev.moat.vault.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.vault.keys.KeyCrypto.EncryptionAlgorithm;
import dev.moat.vault.keys.KeyCrypto.SignatureAlgorithm;
import dev.moat.vault.objects.VaultObjectException;

/**
 * The service's cryptography interoperates with the JDK's, the way the Azure SDK's local cryptography uses it: what
 * the JDK encrypts with the public key the service decrypts, and the other way round; the service's signatures over a
 * digest verify with the JDK's message signatures (ECDSA after turning raw r||s into DER), and the JDK's verify here.
 */
class KeyCryptoTest {

    private static final KeyMaterial RSA = KeyMaterial.generateRsa(2048);
    private static final byte[] MESSAGE = "the quick brown fox".getBytes(StandardCharsets.UTF_8);

    static Stream<Arguments> jdkCiphers() {
        return Stream.of(
                Arguments.of(EncryptionAlgorithm.RSA1_5, "RSA/ECB/PKCS1Padding", null),
                Arguments.of(EncryptionAlgorithm.RSA_OAEP, "RSA/ECB/OAEPWithSHA-1AndMGF1Padding", null),
                Arguments.of(EncryptionAlgorithm.RSA_OAEP_256, "RSA/ECB/OAEPPadding",
                        new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT)));
    }

    @ParameterizedTest
    @MethodSource("jdkCiphers")
    void a_value_the_jdk_encrypts_with_the_public_key_decrypts_here(EncryptionAlgorithm alg, String jdk,
            OAEPParameterSpec params) throws Exception {
        Cipher cipher = Cipher.getInstance(jdk);
        cipher.init(Cipher.ENCRYPT_MODE, publicOf(RSA), params);
        byte[] ciphertext = cipher.doFinal(MESSAGE);

        assertThat(KeyCrypto.decrypt(RSA, alg, ciphertext)).isEqualTo(MESSAGE);
    }

    @ParameterizedTest
    @MethodSource("jdkCiphers")
    void a_value_encrypted_here_decrypts_with_the_jdk(EncryptionAlgorithm alg, String jdk, OAEPParameterSpec params)
            throws Exception {
        byte[] ciphertext = KeyCrypto.encrypt(RSA, alg, MESSAGE);
        Cipher cipher = Cipher.getInstance(jdk);
        cipher.init(Cipher.DECRYPT_MODE, RSA.privateKey(), params);

        assertThat(cipher.doFinal(ciphertext)).isEqualTo(MESSAGE);
    }

    @Test
    void rsa_oaep_256_is_not_the_jdks_default_oaep_with_sha256_which_uses_mgf1_sha1() throws Exception {
        Cipher jdkDefault = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        jdkDefault.init(Cipher.ENCRYPT_MODE, publicOf(RSA));
        byte[] ciphertext = jdkDefault.doFinal(MESSAGE);

        assertThatThrownBy(() -> KeyCrypto.decrypt(RSA, EncryptionAlgorithm.RSA_OAEP_256, ciphertext))
                .isInstanceOf(VaultObjectException.class).hasMessageContaining("does not decrypt");
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void a_signature_over_a_digest_verifies_with_the_jdks_message_signature(SignatureAlgorithm alg) throws Exception {
        KeyMaterial key = keyFor(alg);
        byte[] digest = MessageDigest.getInstance(alg.hash()).digest(MESSAGE);

        byte[] signature = KeyCrypto.sign(key, alg, digest);

        Signature jdk = jdkSignature(alg);
        jdk.initVerify(key.publicKey());
        jdk.update(MESSAGE);
        if (alg.isEcdsa()) {
            assertThat(signature).as("raw r||s").hasSize(2 * alg.curve().coordinateBytes());
            assertThat(jdk.verify(KeyCrypto.rawToDer(signature))).isTrue();
        } else {
            assertThat(jdk.verify(signature)).isTrue();
        }
        assertThat(KeyCrypto.verify(key, alg, digest, signature)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void a_jdk_signature_verifies_here_and_an_altered_one_does_not(SignatureAlgorithm alg) throws Exception {
        KeyMaterial key = keyFor(alg);
        byte[] digest = MessageDigest.getInstance(alg.hash()).digest(MESSAGE);
        Signature jdk = jdkSignature(alg);
        jdk.initSign(key.privateKey());
        jdk.update(MESSAGE);
        byte[] signature = jdk.sign();
        if (alg.isEcdsa()) {
            signature = KeyCrypto.derToRaw(signature, alg.curve().coordinateBytes());
        }

        assertThat(KeyCrypto.verify(key, alg, digest, signature)).isTrue();
        signature[signature.length / 2] ^= 1;
        assertThat(KeyCrypto.verify(key, alg, digest, signature)).isFalse();
        assertThat(KeyCrypto.verify(key, alg, digest, Arrays.copyOf(signature, 3))).isFalse();
    }

    @Test
    void a_digest_of_the_wrong_length_is_refused_naming_the_rule() {
        assertThatThrownBy(() -> KeyCrypto.sign(RSA, SignatureAlgorithm.RS384, new byte[32]))
                .isInstanceOf(VaultObjectException.class)
                .hasMessage("The digest is 32 bytes: RS384 signs a SHA-384 digest of exactly 48 bytes.");
    }

    @Test
    void an_algorithm_for_another_key_type_is_refused() {
        KeyMaterial ec = KeyMaterial.generateEc(Curve.P_256);
        assertThatThrownBy(() -> KeyCrypto.encrypt(ec, EncryptionAlgorithm.RSA_OAEP, MESSAGE))
                .isInstanceOf(VaultObjectException.class).hasMessageContaining("needs an RSA key");
        assertThatThrownBy(() -> KeyCrypto.sign(ec, SignatureAlgorithm.ES384, new byte[48]))
                .isInstanceOf(VaultObjectException.class).hasMessageContaining("needs an EC key on P-384");
        assertThatThrownBy(() -> KeyCrypto.sign(RSA, SignatureAlgorithm.ES256, new byte[32]))
                .isInstanceOf(VaultObjectException.class).hasMessageContaining("needs an EC key on P-256");
    }

    @Test
    void a_plaintext_longer_than_the_padding_allows_is_refused() {
        assertThatThrownBy(() -> KeyCrypto.encrypt(RSA, EncryptionAlgorithm.RSA_OAEP_256, new byte[191]))
                .isInstanceOf(VaultObjectException.class)
                .hasMessage("The value is 191 bytes: RSA-OAEP-256 with a 2048-bit key encrypts at most 190 bytes.");
    }

    @Test
    void an_imported_jwk_keeps_its_public_key_and_a_mismatched_one_is_refused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) pair.getPrivate();
        JsonWebKey jwk = new JsonWebKey("RSA", null, b64(priv.getModulus()), b64(priv.getPublicExponent()),
                b64(priv.getPrivateExponent()), b64(priv.getPrimeExponentP()), b64(priv.getPrimeExponentQ()),
                b64(priv.getCrtCoefficient()), b64(priv.getPrimeP()), b64(priv.getPrimeQ()), null, null, null);

        KeyMaterial imported = KeyMaterial.fromJwk(jwk);
        assertThat(imported.publicKey()).isEqualTo(pair.getPublic());
        assertThat(imported.publicJwk(KeyOperation.RSA_DEFAULT).n()).isEqualTo(jwk.n());
        assertThat(imported.publicJwk(KeyOperation.RSA_DEFAULT).e()).isEqualTo("AQAB");

        JsonWebKey mismatched = new JsonWebKey("RSA", null, jwk.n(), jwk.e(),
                b64(priv.getPrivateExponent().add(BigInteger.TWO)), null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> KeyMaterial.fromJwk(mismatched)).isInstanceOf(VaultObjectException.class)
                .hasMessageContaining("do not belong together");
    }

    @Test
    void ec_public_coordinates_are_fixed_length_even_when_they_start_with_zero_bytes() throws Exception {
        for (int i = 0; i < 40; i++) {
            KeyMaterial key = KeyMaterial.generateEc(Curve.P_521);
            JsonWebKey jwk = key.publicJwk(KeyOperation.EC_DEFAULT);
            assertThat(Base64.getUrlDecoder().decode(jwk.x())).hasSize(66);
            assertThat(Base64.getUrlDecoder().decode(jwk.y())).hasSize(66);
            assertThat(jwk.x()).doesNotContain("=");
            assertThat(((ECPublicKey) key.publicKey()).getW().getAffineX())
                    .isEqualTo(new BigInteger(1, Base64.getUrlDecoder().decode(jwk.x())));
        }
    }

    @Test
    void an_ec_key_on_another_curve_of_the_same_size_is_refused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC",
                new org.bouncycastle.jce.provider.BouncyCastleProvider());
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256k1"));
        KeyPair pair = generator.generateKeyPair();

        assertThatThrownBy(() -> KeyMaterial.fromPair(pair.getPublic(), pair.getPrivate()))
                .isInstanceOf(VaultObjectException.class)
                .hasMessage("an EC key on a 256-bit curve other than P-256, P-384, P-521 is not supported.");
    }

    @Test
    void stored_material_opens_to_the_same_key() {
        KeyMaterial ec = KeyMaterial.generateEc(Curve.P_384);
        KeyMaterial reopened = KeyMaterial.of(ec.pkcs8(), ec.publicKeyDer());
        assertThat(reopened.curve()).isEqualTo(Curve.P_384);
        assertThat(reopened.publicJwk(List.of())).isEqualTo(ec.publicJwk(List.of()));
        assertThat(KeyMaterial.of(RSA.pkcs8(), RSA.publicKeyDer()).rsaBits()).isEqualTo(2048);
        assertThat(ec.toString()).doesNotContain(Base64.getEncoder().encodeToString(ec.pkcs8()));
    }

    private static KeyMaterial keyFor(SignatureAlgorithm alg) {
        return alg.isEcdsa() ? KeyMaterial.generateEc(alg.curve()) : RSA;
    }

    private static Signature jdkSignature(SignatureAlgorithm alg) throws Exception {
        String hash = alg.hash().replace("-", "");
        return switch (alg.jwaName().charAt(0)) {
            case 'R' -> Signature.getInstance(hash + "withRSA");
            case 'E' -> Signature.getInstance(hash + "withECDSA");
            default -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                int length = MessageDigest.getInstance(alg.hash()).getDigestLength();
                pss.setParameter(new PSSParameterSpec(alg.hash(), "MGF1", new MGF1ParameterSpec(alg.hash()), length, 1));
                yield pss;
            }
        };
    }

    private static java.security.PublicKey publicOf(KeyMaterial key) throws Exception {
        // through the public JWK, as the SDK builds its local key
        JsonWebKey jwk = key.publicJwk(KeyOperation.RSA_DEFAULT);
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.n())),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.e()))));
    }

    private static String b64(BigInteger value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(KeyMaterial.unsigned(value));
    }

}
