package dev.moat.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;


import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.EncryptionAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;

/**
 * The unmodified Azure SDK for Java against the real processes of the local stack: {@code ClientSecretCredential}
 * takes its token from the stack's built-in issuer after the Key Vault challenge (the only client settings are
 * {@code authorityHost}, {@code disableInstanceDiscovery()} and trusting the stack's CA), then {@code SecretClient},
 * {@code KeyClient} and {@code CryptographyClient} go through policy-service's firewall decision and the access
 * policy like any caller.
 */
class AzureSdkSystemTest extends OnLocalStack {

    private static final String VAULT = "sdkvault";

    private static HttpClient http;
    private static ClientSecretCredential credential;

    @BeforeAll
    static void startStack() throws Exception {
        start(LocalStack.up("sdk-stack"));
        // started without --trust-loopback-proxy, and the SDK sends no X-Forwarded-For: its address is 127.0.0.1,
        // which no IP rule may name (not public), so this vault's firewall allows by default
        String allSecretsAndKeys = "\"get\",\"list\",\"set\",\"delete\",\"recover\",\"backup\",\"restore\",\"purge\"";
        client.putVault(VAULT, "{\"defaultAction\":\"Allow\"}", Map.of("APP", allSecretsAndKeys)).statusCode(201);
        grantKeys();
        http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(stack.sslContext())).build();
        credential = new ClientSecretCredentialBuilder()
                .tenantId(client.credential("MOAT_TENANT_ID"))
                .clientId(client.credential("MOAT_APP_CLIENT_ID"))
                .clientSecret(client.credential("MOAT_APP_CLIENT_SECRET"))
                .authorityHost(stack.managementUrl())
                .disableInstanceDiscovery()
                .httpClient(http)
                .build();
    }

    /** Adds key permissions to the application's access policy (ARM PUT of the whole vault, as the CLI does). */
    private static void grantKeys() {
        String body = """
                {"location":"local","properties":{"tenantId":"%1$s","sku":{"family":"A","name":"standard"},
                 "accessPolicies":[{"tenantId":"%1$s","objectId":"%2$s","permissions":{
                   "secrets":["all"],"keys":["get","list","create","encrypt","decrypt","sign","verify","delete"]}}],
                 "networkAcls":{"defaultAction":"Allow"}}}
                """.formatted(client.credential("MOAT_TENANT_ID"), client.credential("MOAT_APP_OBJECT_ID"));
        client.armPut("Microsoft.KeyVault/vaults/" + VAULT, body).statusCode(200);
    }

    private static String vaultUrl() {
        return "https://" + VAULT + ".vault.localhost:" + stack.vaultPort;
    }

    @Test
    void without_trust_loopback_proxy_an_x_forwarded_for_from_loopback_is_not_believed() {
        String allowOnlyTestNet3 = "{\"defaultAction\":\"Deny\",\"bypass\":\"None\","
                + "\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}";
        client.putVault("loopbackvault", allowOnlyTestNet3, Map.of("APP", "\"get\"")).statusCode(201);

        // A local process claims an allowed address; deploy/moat up without the option trusts no proxy.
        var refused = client.secretGet("loopbackvault", "203.0.113.9", client.dataToken("APP"));

        refused.then().statusCode(403).body("error.innererror.code", org.hamcrest.Matchers.equalTo("ForbiddenByFirewall"))
                .body("error.message", org.hamcrest.Matchers.containsString("Client address: 127.0.0.1"));
        client.auditEvent(refused.header("x-moat-decision-id")).body("callerIp", org.hamcrest.Matchers.equalTo("127.0.0.1"));
    }

    @Test
    void the_secret_client_stores_reads_deletes_recovers_and_restores_a_secret() {
        SecretClient secrets = new SecretClientBuilder().vaultUrl(vaultUrl()).credential(credential).httpClient(http)
                .buildClient();

        KeyVaultSecret stored = secrets.setSecret("db-password", "first value");
        secrets.setSecret("db-password", "second value");
        assertThat(secrets.getSecret("db-password").getValue()).isEqualTo("second value");
        assertThat(secrets.getSecret("db-password", stored.getProperties().getVersion()).getValue())
                .isEqualTo("first value");
        assertThat(secrets.listPropertiesOfSecretVersions("db-password").stream().count()).isEqualTo(2);
        byte[] backup = secrets.backupSecret("db-password");

        secrets.beginDeleteSecret("db-password").waitForCompletion(Duration.ofSeconds(60));
        assertThatThrownBy(() -> secrets.getSecret("db-password")).isInstanceOf(ResourceNotFoundException.class);
        secrets.beginRecoverDeletedSecret("db-password").waitForCompletion(Duration.ofSeconds(60));
        assertThat(secrets.getSecret("db-password").getValue()).isEqualTo("second value");

        secrets.beginDeleteSecret("db-password").waitForCompletion(Duration.ofSeconds(60));
        secrets.purgeDeletedSecret("db-password");
        assertThat(secrets.restoreSecretBackup(backup).getName()).isEqualTo("db-password");
        assertThat(secrets.getSecret("db-password").getValue()).isEqualTo("second value");
    }

    @Test
    void a_value_the_sdk_encrypts_locally_is_decrypted_by_the_server_and_a_server_signature_verifies_locally()
            throws Exception {
        KeyClient keys = new KeyClientBuilder().vaultUrl(vaultUrl()).credential(credential).httpClient(http)
                .buildClient();
        KeyVaultKey key = keys.createRsaKey(new CreateRsaKeyOptions("app-key").setKeySize(2048));
        CryptographyClient crypto = new CryptographyClientBuilder().keyIdentifier(key.getId()).credential(credential)
                .httpClient(http).buildClient();
        CryptographyClient local = new CryptographyClientBuilder().jsonWebKey(key.getKey()).buildClient();
        byte[] plaintext = "attack at dawn".getBytes(StandardCharsets.UTF_8);

        byte[] ciphertext = local.encrypt(EncryptionAlgorithm.RSA_OAEP, plaintext).getCipherText();
        assertThat(crypto.decrypt(EncryptionAlgorithm.RSA_OAEP, ciphertext).getPlainText()).isEqualTo(plaintext);

        byte[] digest = MessageDigest.getInstance("SHA-256").digest(plaintext);
        byte[] signature = crypto.sign(SignatureAlgorithm.RS256, digest).getSignature();
        // the SDK cannot verify RSA locally; the JDK checks the server's signature with the public JWK
        var verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key.getKey().toRsa(false).getPublic());
        verifier.update(plaintext);
        assertThat(verifier.verify(signature)).isTrue();
    }
}
