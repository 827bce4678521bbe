package dev.moat.vault.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DataPlanePipelineTest implements FreshPolicyService {

    private static final String VAULT = "pipelinevault";

    @BeforeEach
    void vaultWithAnAccessPolicyForAlice() {
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "get", "list")));
        PolicyServiceDouble.received.clear();
    }

    private static String alice() {
        return Tokens.dataPlane().objectId(Tokens.ALICE).bearer();
    }

    @Test
    void an_allowed_request_runs_the_operation_and_publishes_one_allowed_event_with_the_caller() {
        String id = given().header("Host", Vaults.host(VAULT)).header("Authorization", alice())
                .when().get("/secrets/db-password/?api-version=7.5")
                .then().statusCode(404)
                .body("error.code", equalTo("SecretNotFound"))
                .header(DataPlanePipeline.DECISION_ID_HEADER, notNullValue())
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        assertThat(PolicyServiceDouble.received).singleElement().satisfies(check -> {
            assertThat(check.getVault()).isEqualTo(VAULT);
            assertThat(check.getOperation()).isEqualTo("SecretGet");
            assertThat(check.getClientAddress()).isEqualTo("127.0.0.1");
            assertThat(check.getCaller().getObjectId()).isEqualTo(Tokens.ALICE);
            assertThat(check.getCaller().getTenantId()).isEqualTo(Tokens.TENANT);
            assertThat(check.getCaller().getApplicationId()).isEqualTo(Tokens.APP);
        });
        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_ALLOWED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_OPERATION);
        assertThat(event.getHttpStatus()).isEqualTo(404);
        assertThat(event.getAddressAuthorizationType())
                .isEqualTo(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE);
        assertThat(event.getMatchedRule()).isEqualTo("127.0.0.0/8");
        assertThat(event.getCallerIp()).isEqualTo("127.0.0.1");
        assertThat(event.getRequestPath()).isEqualTo("/secrets/db-password/");
        assertThat(event.getVault()).isEqualTo(VAULT);
        assertThat(event.getIsAccessPolicyMatch()).isTrue();
        assertThat(event.getIdentity().getObjectId()).isEqualTo(Tokens.ALICE);
        assertThat(event.getIdentity().getApplicationId()).isEqualTo(Tokens.APP);
    }

    @Test
    void a_firewall_denial_is_a_403_forbidden_by_firewall_naming_the_client_the_caller_and_the_vault() {
        PolicyServiceDouble.answer = PolicyServiceDouble::deny;

        String id = given().header("Host", Vaults.host(VAULT)).header("Authorization", alice())
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(403)
                .body("error.code", equalTo("Forbidden"))
                .body("error.innererror.code", equalTo("ForbiddenByFirewall"))
                .body("error.message", containsString("Client address: 127.0.0.1"))
                .body("error.message", containsString("Caller: appid=" + Tokens.APP + ";oid=" + Tokens.ALICE
                        + ";iss=https://test-issuer.moat.example/" + Tokens.TENANT + "/v2.0"))
                .body("error.message", containsString("Vault: " + VAULT))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_DENIED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_FIREWALL);
        assertThat(event.getHttpStatus()).isEqualTo(403);
        assertThat(event.getIsAddressAuthorized()).isFalse();
        assertThat(event.getIsAccessPolicyMatch()).isFalse();
        assertThat(event.getReason()).contains("127.0.0.1");
        assertThat(event.getIdentity().getObjectId()).isEqualTo(Tokens.ALICE);
    }

    @Test
    void a_slow_policy_service_fails_closed_with_503() {
        PolicyServiceDouble.delay = Duration.ofSeconds(3);

        String id = given().header("Host", Vaults.host(VAULT)).header("Authorization", alice())
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(503)
                .body("error.code", equalTo("ServiceUnavailable"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_DENIED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_FIREWALL);
        assertThat(event.getIsAddressAuthorized()).isFalse();
    }

    @Test
    void a_policy_service_that_is_down_fails_closed_and_recovery_needs_no_restart() throws Exception {
        PolicyServiceDouble.stopServer();
        try {
            given().header("Host", Vaults.host(VAULT)).header("Authorization", alice()).when().get("/secrets/db-password?api-version=7.5")
                    .then().statusCode(503).body("error.code", equalTo("ServiceUnavailable"));
        } finally {
            PolicyServiceDouble.startServer();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Host", Vaults.host(VAULT)).header("Authorization", alice())
                        .when().get("/secrets/db-password?api-version=7.5")
                        .then().statusCode(404).body("error.code", equalTo("SecretNotFound")));
    }

    @Test
    void forwarded_for_is_ignored_when_no_proxy_is_trusted() {
        given().header("Host", Vaults.host(VAULT)).header("Authorization", alice())
                .header("X-Forwarded-For", "203.0.113.50")
                .when().get("/secrets/db-password?api-version=7.5").then().statusCode(404);

        assertThat(PolicyServiceDouble.received).singleElement()
                .satisfies(check -> assertThat(check.getClientAddress()).isEqualTo("127.0.0.1"));
    }

    @Test
    void a_source_subnet_header_from_an_untrusted_peer_is_ignored() {
        given().header("Host", Vaults.host(VAULT)).header("Authorization", alice())
                .header("X-Moat-Source-Subnet", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
                        + "virtualNetworks/v/subnets/trusted")
                .when().get("/secrets/db-password?api-version=7.5").then().statusCode(404);

        assertThat(PolicyServiceDouble.received).singleElement()
                .satisfies(check -> assertThat(check.getSourceSubnetId()).isEmpty());
    }

    @Test
    void a_host_that_is_not_a_vault_host_gets_404_and_never_reaches_the_firewall() {
        given().header("Host", "localhost")
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(404)
                .body("error.code", equalTo("VaultNotFound"));

        assertThat(PolicyServiceDouble.received).isEmpty();
    }

    @Test
    void a_vault_host_of_a_vault_that_does_not_exist_gets_404_and_never_reaches_the_firewall() {
        given().header("Host", Vaults.host("novault")).header("Authorization", alice())
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(404)
                .body("error.code", equalTo("VaultNotFound"));

        assertThat(PolicyServiceDouble.received).isEmpty();
    }
}
