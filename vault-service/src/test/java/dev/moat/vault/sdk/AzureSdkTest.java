package dev.moat.vault.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceModifiedException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.TestHttps;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The unmodified Azure SDK for Java against the running service: {@code ClientSecretCredential} fetches its token
 * from the built-in issuer after the Key Vault challenge, with no client switch but {@code authorityHost(...)},
 * {@code disableInstanceDiscovery()} and trusting the local CA (issue 4, "Done when" 1). Vault hosts resolve through
 * {@code -Djdk.net.hosts.file} (see the surefire configuration).
 */
@QuarkusTest
class AzureSdkTest {

    private static final String CLIENT = "11111111-2222-3333-4444-555555555555";
    private static final String SECRET = "s3cret-for-tests";
    private static final String CLIENT_OID = "0b1ec700-0000-0000-0000-000000000042";

    @BeforeAll
    static void https() {
        TestHttps.trustLocalCa();
    }

    @BeforeEach
    void reset() {
        PolicyServiceDouble.reset();
    }

    private static HttpClient trustingTheLocalCa() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TestHttps.trustStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(context)).build();
    }

    private static SecretClient client(String vault) throws Exception {
        HttpClient http = trustingTheLocalCa();
        ClientSecretCredential credential = new ClientSecretCredentialBuilder()
                .tenantId(Tokens.TENANT).clientId(CLIENT).clientSecret(SECRET)
                .authorityHost("https://localhost:" + RestAssured.port)
                .disableInstanceDiscovery()
                .httpClient(http)
                .build();
        return new SecretClientBuilder()
                .vaultUrl("https://" + vault + ".vault.localhost:" + RestAssured.port)
                .credential(credential)
                .httpClient(http)
                .buildClient();
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
