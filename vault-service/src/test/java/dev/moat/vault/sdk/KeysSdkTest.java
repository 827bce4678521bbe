package dev.moat.vault.sdk;

import static dev.moat.vault.testing.SdkClients.CLIENT_OID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceModifiedException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.util.polling.SyncPoller;
import com.azure.identity.ClientSecretCredential;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.KeyServiceVersion;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.EncryptionAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm;
import com.azure.security.keyvault.keys.models.CreateEcKeyOptions;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.DeletedKey;
import com.azure.security.keyvault.keys.models.ImportKeyOptions;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyCurveName;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.azure.security.keyvault.keys.models.KeyRotationLifetimeAction;
import com.azure.security.keyvault.keys.models.KeyRotationPolicy;
import com.azure.security.keyvault.keys.models.KeyRotationPolicyAction;
import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;

import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.SdkClients;
import dev.moat.vault.testing.TrustsLocalCa;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The unmodified {@code KeyClient} and {@code CryptographyClient} against the running service, through the challenge
 * and the built-in issuer (issue 6, "Done when" 1): every key operation, and local-versus-remote interoperability in
 * both directions (the SDK encrypts and verifies locally with the public JWK the service returned; the service
 * decrypts and unwraps what the SDK encrypted locally, and its signatures verify locally).
 */
@QuarkusTest
class KeysSdkTest implements TrustsLocalCa {

    private static final byte[] PLAINTEXT = "a data encryption key, 32 bytes".getBytes(StandardCharsets.UTF_8);

    private static HttpClient http;
    private static ClientSecretCredential credential;

    @BeforeEach
    void vaultsWhereTheClientHoldsEveryKeyPermission() throws Exception {
        PolicyServiceDouble.reset();
        Vaults.put("sdkkeys", Vaults.body(Vaults.policy(CLIENT_OID, "keys", "all")));
        Vaults.put("sdkkeys74", Vaults.body(Vaults.policy(CLIENT_OID, "keys", "all")));
        if (credential == null) {
            http = SdkClients.trustingTheLocalCa();
            credential = SdkClients.credential(http);
        }
    }

    private static String vaultUrl(String vault) {
        return "https://" + vault + ".vault.localhost:" + RestAssured.port;
    }

    private static KeyClient keys(String vault, KeyServiceVersion version) {
        KeyClientBuilder builder = new KeyClientBuilder().vaultUrl(vaultUrl(vault)).credential(credential)
                .httpClient(http);
        return (version == null ? builder : builder.serviceVersion(version)).buildClient();
    }

    private static CryptographyClient remote(String keyId) {
        return new CryptographyClientBuilder().keyIdentifier(keyId).credential(credential).httpClient(http)
                .buildClient();
    }

    /** A client that holds only the public JWK the service returned: it never calls the service. */
    private static CryptographyClient local(KeyVaultKey key) {
        return new CryptographyClientBuilder().jsonWebKey(key.getKey()).buildClient();
    }

    @Test
    void every_key_operation_of_the_key_client() throws Exception {
        KeyClient client = keys("sdkkeys", null);

        KeyVaultKey rsa = client.createRsaKey(new CreateRsaKeyOptions("sdk-rsa").setKeySize(3072)
                .setTags(Map.of("team", "payments")));
        assertThat(rsa.getKeyType()).isEqualTo(KeyType.RSA);
        assertThat(rsa.getKey().getN()).hasSize(384);
        assertThat(rsa.getKey().hasPrivateKey()).isFalse();
        assertThat(rsa.getId()).startsWith(vaultUrl("sdkkeys") + "/keys/sdk-rsa/");
        assertThat(rsa.getProperties().getVersion()).hasSize(32);
        assertThat(rsa.getProperties().getTags()).containsEntry("team", "payments");
        for (KeyCurveName curve : List.of(KeyCurveName.P_256, KeyCurveName.P_384, KeyCurveName.P_521)) {
            KeyVaultKey ec = client.createEcKey(new CreateEcKeyOptions("sdk-ec-" + curve.toString().toLowerCase())
                    .setCurveName(curve));
            assertThat(ec.getKey().getCurveName()).isEqualTo(curve);
        }

        assertThat(client.getKey("sdk-rsa").getId()).isEqualTo(rsa.getId());
        KeyVaultKey second = client.createRsaKey(new CreateRsaKeyOptions("sdk-rsa"));
        assertThat(client.getKey("sdk-rsa", rsa.getProperties().getVersion()).getKey().getN())
                .isEqualTo(rsa.getKey().getN());
        assertThat(client.listPropertiesOfKeyVersions("sdk-rsa").stream().map(KeyProperties::getVersion))
                .containsExactly(rsa.getProperties().getVersion(), second.getProperties().getVersion());
        assertThat(client.listPropertiesOfKeys().stream().map(KeyProperties::getName))
                .contains("sdk-rsa", "sdk-ec-p-256", "sdk-ec-p-384", "sdk-ec-p-521");

        KeyProperties properties = client.getKey("sdk-rsa").getProperties()
                .setExpiresOn(OffsetDateTime.now().plusDays(30)).setTags(Map.of("team", "platform"));
        KeyVaultKey updated = client.updateKeyProperties(properties, KeyOperation.SIGN, KeyOperation.VERIFY);
        assertThat(updated.getKeyOperations()).containsExactly(KeyOperation.SIGN, KeyOperation.VERIFY);
        assertThat(updated.getProperties().getTags()).containsEntry("team", "platform");
        assertThat(updated.getProperties().getExpiresOn()).isNotNull();

        KeyVaultKey rotated = client.rotateKey("sdk-rsa");
        assertThat(rotated.getProperties().getVersion()).isNotEqualTo(second.getProperties().getVersion());

        KeyPair pair = rsaPair();
        ImportKeyOptions importing = new ImportKeyOptions("sdk-imported", JsonWebKey.fromRsa(pair,
                List.of(KeyOperation.DECRYPT, KeyOperation.ENCRYPT)));
        importing.setTags(Map.of("origin", "on-prem"));
        KeyVaultKey imported = client.importKey(importing);
        assertThat(imported.getKey().hasPrivateKey()).isFalse();
        assertThat(imported.getKeyOperations()).containsExactly(KeyOperation.DECRYPT, KeyOperation.ENCRYPT);

        KeyRotationPolicy rotation = client.updateKeyRotationPolicy("sdk-rsa", new KeyRotationPolicy()
                .setExpiresIn("P2Y").setLifetimeActions(List.of(new KeyRotationLifetimeAction(KeyRotationPolicyAction.ROTATE)
                        .setTimeAfterCreate("P90D"))));
        assertThat(rotation.getExpiresIn()).isEqualTo("P2Y");
        assertThat(client.getKeyRotationPolicy("sdk-rsa").getLifetimeActions()).singleElement()
                .satisfies(action -> assertThat(action.getTimeAfterCreate()).isEqualTo("P90D"));

        byte[] backup = client.backupKey("sdk-rsa");

        SyncPoller<DeletedKey, Void> deleting = client.beginDeleteKey("sdk-rsa");
        deleting.setPollInterval(Duration.ofMillis(50));
        DeletedKey deleted = deleting.waitForCompletion(Duration.ofSeconds(30)).getValue();
        assertThat(deleted.getRecoveryId()).isEqualTo(vaultUrl("sdkkeys") + "/deletedkeys/sdk-rsa");
        assertThat(deleted.getScheduledPurgeDate()).isAfter(OffsetDateTime.now());
        assertThat(client.getDeletedKey("sdk-rsa").getName()).isEqualTo("sdk-rsa");
        assertThat(client.listDeletedKeys().stream().map(DeletedKey::getName)).contains("sdk-rsa");
        assertThatThrownBy(() -> client.getKey("sdk-rsa")).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.createRsaKey(new CreateRsaKeyOptions("sdk-rsa")))
                .isInstanceOf(ResourceModifiedException.class)
                .hasMessageContaining("ObjectIsDeletedButRecoverable");

        KeyVaultKey recovered = client.beginRecoverDeletedKey("sdk-rsa").setPollInterval(Duration.ofMillis(50))
                .waitForCompletion(Duration.ofSeconds(30)).getValue();
        assertThat(recovered.getId()).isEqualTo(rotated.getId());

        client.beginDeleteKey("sdk-rsa").setPollInterval(Duration.ofMillis(50))
                .waitForCompletion(Duration.ofSeconds(30));
        client.purgeDeletedKey("sdk-rsa");
        assertThatThrownBy(() -> client.getDeletedKey("sdk-rsa")).isInstanceOf(ResourceNotFoundException.class);

        KeyVaultKey restored = client.restoreKeyBackup(backup);
        assertThat(restored.getId()).isEqualTo(rotated.getId());
        assertThat(client.listPropertiesOfKeyVersions("sdk-rsa").stream().count()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA1_5", "RSA-OAEP", "RSA-OAEP-256"})
    void a_value_the_sdk_encrypts_locally_with_the_public_jwk_is_decrypted_by_the_service(String name)
            throws Exception {
        EncryptionAlgorithm alg = EncryptionAlgorithm.fromString(name);
        KeyVaultKey key = keys("sdkkeys", null).createRsaKey(new CreateRsaKeyOptions("interop-" + alg.toString()
                .toLowerCase().replace('_', '-')));

        byte[] ciphertext = encryptLocally(key, name);

        assertThat(remote(key.getId()).decrypt(alg, ciphertext).getPlainText()).isEqualTo(PLAINTEXT);
        CryptographyClient remote = remote(key.getId());
        assertThat(remote.decrypt(alg, remote.encrypt(alg, PLAINTEXT).getCipherText()).getPlainText())
                .isEqualTo(PLAINTEXT);
        if (!name.equals("RSA-OAEP-256")) {
            // the client built from the vault fetches the key, encrypts locally and decrypts remotely
            CryptographyClient fromVault = keys("sdkkeys", null).getCryptographyClient(key.getName());
            assertThat(fromVault.decrypt(alg, fromVault.encrypt(alg, PLAINTEXT).getCipherText()).getPlainText())
                    .isEqualTo(PLAINTEXT);
        }
    }

    /**
     * Encrypts with the public key of the SDK's {@code JsonWebKey} as the service returned it: through the SDK's
     * local cryptography where it has the algorithm (RSA1_5, RSA-OAEP), with the JDK for RSA-OAEP-256 (SHA-256 and
     * MGF1-SHA-256), which the SDK's local client does not offer.
     */
    private static byte[] encryptLocally(KeyVaultKey key, String alg) throws Exception {
        if (!alg.equals("RSA-OAEP-256")) {
            return local(key).encrypt(EncryptionAlgorithm.fromString(alg), PLAINTEXT).getCipherText();
        }
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key.getKey().toRsa().getPublic(), new OAEPParameterSpec("SHA-256", "MGF1",
                MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        return cipher.doFinal(PLAINTEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA1_5", "RSA-OAEP", "RSA-OAEP-256"})
    void a_key_the_sdk_wraps_locally_is_unwrapped_by_the_service_and_the_other_way_round(String name)
            throws Exception {
        KeyWrapAlgorithm alg = KeyWrapAlgorithm.fromString(name);
        KeyVaultKey key = keys("sdkkeys", null).createRsaKey(new CreateRsaKeyOptions("wrap-" + alg.toString()
                .toLowerCase().replace('_', '-')));
        CryptographyClient remote = remote(key.getId());

        byte[] wrappedLocally = name.equals("RSA-OAEP-256") ? encryptLocally(key, name)
                : local(key).wrapKey(alg, PLAINTEXT).getEncryptedKey();
        assertThat(remote.unwrapKey(alg, wrappedLocally).getKey()).isEqualTo(PLAINTEXT);
        byte[] wrappedRemotely = remote.wrapKey(alg, PLAINTEXT).getEncryptedKey();
        assertThat(remote.unwrapKey(alg, wrappedRemotely).getKey()).isEqualTo(PLAINTEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"})
    void a_signature_made_by_the_service_verifies_locally_and_remotely(String algorithm) throws Exception {
        SignatureAlgorithm alg = SignatureAlgorithm.fromString(algorithm);
        KeyClient client = keys("sdkkeys", null);
        String name = "signer-" + alg.toString().toLowerCase();
        KeyVaultKey key = switch (alg.toString().charAt(0)) {
            case 'E' -> client.createEcKey(new CreateEcKeyOptions(name).setCurveName(switch (alg.toString()) {
                case "ES256" -> KeyCurveName.P_256;
                case "ES384" -> KeyCurveName.P_384;
                default -> KeyCurveName.P_521;
            }));
            default -> client.createRsaKey(new CreateRsaKeyOptions(name));
        };
        String hash = switch (alg.toString().substring(2)) {
            case "256" -> "SHA-256";
            case "384" -> "SHA-384";
            default -> "SHA-512";
        };
        byte[] digest = MessageDigest.getInstance(hash).digest(PLAINTEXT);
        CryptographyClient remote = remote(key.getId());

        byte[] signature = remote.sign(alg, digest).getSignature();

        if (alg.toString().startsWith("ES")) {
            // the SDK's local cryptography verifies ECDSA (raw r||s) itself
            assertThat(local(key).verify(alg, digest, signature).isValid()).isTrue();
        } else {
            // it has no local RSA verify: the JDK checks with the public key of the SDK's JsonWebKey
            Signature jdk = Signature.getInstance(alg.toString().startsWith("RS") ? hash.replace("-", "") + "withRSA"
                    : "RSASSA-PSS");
            if (alg.toString().startsWith("PS")) {
                jdk.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), digest.length, 1));
            }
            jdk.initVerify(key.getKey().toRsa().getPublic());
            jdk.update(PLAINTEXT);
            assertThat(jdk.verify(signature)).isTrue();
        }
        assertThat(remote.verify(alg, digest, signature).isValid()).isTrue();
        assertThat(remote.signData(alg, PLAINTEXT).getSignature()).isNotEmpty();
        digest[0] ^= 1;
        assertThat(remote.verify(alg, digest, signature).isValid()).isFalse();
    }

    @Test
    void an_operation_the_keys_key_ops_do_not_allow_reaches_the_sdk_as_azures_403() {
        KeyVaultKey key = keys("sdkkeys", null).createRsaKey(new CreateRsaKeyOptions("verify-only")
                .setKeyOperations(KeyOperation.VERIFY));

        assertThatThrownBy(() -> remote(key.getId()).decrypt(EncryptionAlgorithm.RSA_OAEP, new byte[384]))
                .isInstanceOf(HttpResponseException.class)
                .satisfies(e -> {
                    HttpResponseException http = (HttpResponseException) e;
                    assertThat(http.getResponse().getStatusCode()).isEqualTo(403);
                    assertThat(http.getMessage()).contains("Operation is not allowed", "ForbiddenByPolicy");
                });
    }

    @Test
    void an_older_service_version_works_the_same() throws Exception {
        KeyClient client = keys("sdkkeys74", KeyServiceVersion.V7_4);
        KeyVaultKey key = client.createEcKey(new CreateEcKeyOptions("v74").setCurveName(KeyCurveName.P_256));
        assertThat(client.getKey("v74").getId()).isEqualTo(key.getId());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(PLAINTEXT);
        CryptographyClient crypto = client.getCryptographyClient("v74");
        assertThat(crypto.verify(SignatureAlgorithm.ES256, digest, crypto.sign(SignatureAlgorithm.ES256, digest)
                .getSignature()).isValid()).isTrue();
        client.beginDeleteKey("v74").setPollInterval(Duration.ofMillis(50)).waitForCompletion(Duration.ofSeconds(30));
        client.purgeDeletedKey("v74");
    }

    private static KeyPair rsaPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
