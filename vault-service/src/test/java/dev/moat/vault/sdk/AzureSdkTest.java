package dev.moat.vault.sdk;

import static dev.moat.vault.testing.SdkClients.CLIENT;
import static dev.moat.vault.testing.SdkClients.CLIENT_OID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceModifiedException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.util.polling.SyncPoller;
import com.azure.identity.ClientSecretCredential;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.SecretServiceVersion;
import com.azure.security.keyvault.secrets.models.DeletedSecret;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.SdkClients;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The unmodified Azure SDK for Java against the running service: {@code ClientSecretCredential} fetches its token
 * from the built-in issuer after the Key Vault challenge, with no client switch but {@code authorityHost(...)},
 * {@code disableInstanceDiscovery()} and trusting the local CA (issue 4, "Done when" 1), then every secrets operation
 * at api-version 7.4, 7.5 and the SDK's default (issue 5, "Done when" 1). Vault hosts resolve through
 * {@code -Djdk.net.hosts.file} (see the surefire configuration).
 */
@QuarkusTest
class AzureSdkTest implements FreshPolicyService {

    private static SecretClient client(String vault) throws Exception {
        return client(vault, null);
    }

    /** @param version the api-version to pin, or null for the SDK's default (2025-07-01 in 4.11.1) */
    private static SecretClient client(String vault, SecretServiceVersion version) throws Exception {
        HttpClient http = SdkClients.trustingTheLocalCa();
        ClientSecretCredential credential = SdkClients.credential(http);
        SecretClientBuilder builder = new SecretClientBuilder()
                .vaultUrl("https://" + vault + ".vault.localhost:" + RestAssured.port)
                .credential(credential)
                .httpClient(http);
        if (version != null) {
            builder.serviceVersion(version);
        }
        return builder.buildClient();
    }

    @Test
    void the_sdk_authenticates_through_the_challenge_and_the_built_in_issuer_and_reaches_the_operation()
            throws Exception {
        Vaults.put("sdkvault", Vaults.body(Vaults.secretsPolicy(CLIENT_OID, "get")));

        assertThatThrownBy(() -> client("sdkvault").getSecret("db-password"))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("SecretNotFound");

        // the SDK's anonymous first request, then the authenticated one; the second names the client
        assertThat(PolicyServiceDouble.received).singleElement().satisfies(check -> {
            assertThat(check.getCaller().getApplicationId()).isEqualTo(CLIENT);
            assertThat(check.getCaller().getObjectId()).isEqualTo(CLIENT_OID);
        });
    }

    static Stream<Arguments> serviceVersions() {
        return Stream.of(Arguments.of("sdksecrets74", SecretServiceVersion.V7_4),
                Arguments.of("sdksecrets75", SecretServiceVersion.V7_5),
                Arguments.of("sdksecrets", null));
    }

    /**
     * Every secrets call of the unmodified {@code SecretClient} (issue 5, "Done when" 1): set, get, list (following
     * nextLink), versions, update, delete with its poller, get and list deleted, recover with its poller, purge,
     * backup and restore, at api-version 7.4, 7.5 and the SDK's default.
     */
    @ParameterizedTest(name = "api-version {1} (null: the SDK default)")
    @MethodSource("serviceVersions")
    void the_unmodified_secret_client_does_everything_with_secrets(String vault, SecretServiceVersion version)
            throws Exception {
        Vaults.put(vault, Vaults.body(Vaults.secretsPolicy(CLIENT_OID, "all")));
        SecretClient secrets = client(vault, version);

        KeyVaultSecret first = secrets.setSecret(new KeyVaultSecret("db-password", "first value")
                .setProperties(new SecretProperties().setContentType("text/plain").setTags(Map.of("env", "test"))));
        KeyVaultSecret second = secrets.setSecret("db-password", "second value");
        assertThat(first.getProperties().getVersion()).matches("[0-9a-f]{32}");
        assertThat(first.getId()).isEqualTo("https://" + vault + ".vault.localhost:" + RestAssured.port
                + "/secrets/db-password/" + first.getProperties().getVersion());
        assertThat(first.getProperties().getRecoveryLevel()).isEqualTo("Recoverable+Purgeable");

        assertThat(secrets.getSecret("db-password").getValue()).isEqualTo("second value");
        KeyVaultSecret old = secrets.getSecret("db-password", first.getProperties().getVersion());
        assertThat(old.getValue()).isEqualTo("first value");
        assertThat(old.getProperties().getContentType()).isEqualTo("text/plain");
        assertThat(old.getProperties().getTags()).containsEntry("env", "test");

        for (int i = 0; i < 26; i++) {
            secrets.setSecret("filler-" + i, "v");
        }
        List<String> names = secrets.listPropertiesOfSecrets().stream().map(SecretProperties::getName).toList();
        assertThat(names).as("27 secrets: two pages, the second reached through nextLink").hasSize(27)
                .contains("db-password", "filler-25");
        assertThat(secrets.listPropertiesOfSecretVersions("db-password").stream().map(SecretProperties::getVersion))
                .containsExactlyInAnyOrder(first.getProperties().getVersion(), second.getProperties().getVersion());

        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withNano(0);
        SecretProperties updated = secrets.updateSecretProperties(second.getProperties().setExpiresOn(expires)
                .setContentType("application/x-password"));
        assertThat(updated.getExpiresOn()).isEqualTo(expires);
        assertThat(secrets.getSecret("db-password").getProperties().getContentType())
                .isEqualTo("application/x-password");

        SyncPoller<DeletedSecret, Void> deletion = secrets.beginDeleteSecret("db-password");
        deletion.waitForCompletion(Duration.ofSeconds(60));
        DeletedSecret deleted = secrets.getDeletedSecret("db-password");
        assertThat(deleted.getRecoveryId()).endsWith("/deletedsecrets/db-password");
        assertThat(deleted.getScheduledPurgeDate()).isAfter(deleted.getDeletedOn());
        assertThat(secrets.listDeletedSecrets().stream().map(DeletedSecret::getName)).contains("db-password");
        assertThatThrownBy(() -> secrets.getSecret("db-password")).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> secrets.setSecret("db-password", "reuse"))
                .isInstanceOf(ResourceModifiedException.class).hasMessageContaining("ObjectIsDeletedButRecoverable");

        SyncPoller<KeyVaultSecret, Void> recovery = secrets.beginRecoverDeletedSecret("db-password");
        recovery.waitForCompletion(Duration.ofSeconds(60));
        assertThat(secrets.getSecret("db-password").getValue()).isEqualTo("second value");

        byte[] backup = secrets.backupSecret("db-password");
        secrets.beginDeleteSecret("db-password").waitForCompletion(Duration.ofSeconds(60));
        secrets.purgeDeletedSecret("db-password");
        assertThatThrownBy(() -> secrets.getDeletedSecret("db-password")).isInstanceOf(ResourceNotFoundException.class);

        KeyVaultSecret restored = secrets.restoreSecretBackup(backup);
        assertThat(restored.getProperties().getVersion()).isEqualTo(second.getProperties().getVersion());
        assertThat(secrets.getSecret("db-password").getValue()).isEqualTo("second value");
        assertThat(secrets.getSecret("db-password", first.getProperties().getVersion()).getValue())
                .isEqualTo("first value");

        secrets.updateSecretProperties(secrets.getSecret("db-password").getProperties().setEnabled(false));
        assertThatThrownBy(() -> secrets.getSecret("db-password"))
                .as("a disabled secret: 403, which SecretClient.getSecret turns into ResourceModifiedException")
                .isInstanceOf(ResourceModifiedException.class).hasMessageContaining("SecretDisabled");
    }

    @Test
    void a_firewall_denial_reaches_the_sdk_as_azure_sends_it() throws Exception {
        Vaults.put("sdkwalled", Vaults.body(Vaults.secretsPolicy(CLIENT_OID, "get")));
        PolicyServiceDouble.answer = PolicyServiceDouble::deny;

        assertThatThrownBy(() -> client("sdkwalled").getSecret("db-password"))
                .isInstanceOf(ResourceModifiedException.class)
                .satisfies(e -> {
                    HttpResponseException http = (HttpResponseException) e;
                    assertThat(http.getResponse().getStatusCode()).isEqualTo(403);
                    assertThat(http.getMessage()).contains("ForbiddenByFirewall", "Caller: appid=" + CLIENT);
                    String id = http.getResponse().getHeaderValue(DataPlanePipeline.DECISION_ID_HEADER);
                    DecisionEvent event = DecisionEvents.await(id);
                    assertThat(event.getIdentity().getApplicationId()).isEqualTo(CLIENT);
                });
    }
}
