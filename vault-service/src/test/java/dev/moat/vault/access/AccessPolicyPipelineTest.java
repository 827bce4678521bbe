package dev.moat.vault.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AccessPolicyPipelineTest implements FreshPolicyService {

    private static final String VAULT = "policyvault";

    @BeforeEach
    void vaultWhereOnlyAliceMayReadSecrets() {
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "Get")));
    }

    @Test
    void a_caller_without_an_access_policy_gets_azures_forbidden_by_policy_after_the_firewall_allowed_it() {
        String id = Vaults.as(VAULT, Tokens.BOB)
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(403)
                .body("error.code", equalTo("Forbidden"))
                .body("error.innererror.code", equalTo("ForbiddenByPolicy"))
                .body("error.message", equalTo("The user, group or application 'appid=" + Tokens.APP + ";oid="
                        + Tokens.BOB + ";iss=https://test-issuer.moat.example/" + Tokens.TENANT + "/v2.0' does not "
                        + "have secrets get permission on key vault '" + VAULT + ";location=westeurope'. For help "
                        + "resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        assertThat(PolicyServiceDouble.received).as("the firewall comes first").hasSize(1);
        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_DENIED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_ACCESS_POLICY);
        assertThat(event.getIsAddressAuthorized()).isTrue();
        assertThat(event.getIsAccessPolicyMatch()).isFalse();
        assertThat(event.getHttpStatus()).isEqualTo(403);
    }

    @Test
    void a_trusted_service_let_through_the_firewall_still_needs_an_access_policy() {
        PolicyServiceDouble.answer = request -> dev.moat.proto.policy.v1.CheckResponse.newBuilder()
                .setAllowed(true).setReason(dev.moat.proto.policy.v1.Reason.REASON_TRUSTED_SERVICE)
                .setTrustedService("Azure Backup").setDecisionId(java.util.UUID.randomUUID().toString()).build();
        String id = Vaults.as(VAULT, Tokens.BOB)
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(403).body("error.innererror.code", equalTo("ForbiddenByPolicy"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getTrustedService()).isEqualTo("Azure Backup");
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_ACCESS_POLICY);
    }

    @Test
    void the_firewall_denies_before_the_access_policy_is_looked_at() {
        PolicyServiceDouble.answer = PolicyServiceDouble::deny;
        Vaults.as(VAULT, Tokens.BOB)
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(403).body("error.innererror.code", equalTo("ForbiddenByFirewall"));
    }

    @Test
    void a_caller_with_the_permission_reaches_the_operation() {
        String id = Vaults.as(VAULT, Tokens.ALICE)
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(404).body("error.code", equalTo("SecretNotFound"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        assertThat(DecisionEvents.await(id).getIsAccessPolicyMatch()).isTrue();
    }

    @Test
    void public_network_access_disabled_refuses_callers_that_are_not_trusted_services() {
        Vaults.put("closedvault", Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "get"))
                .replace("\"accessPolicies\"", "\"publicNetworkAccess\":\"Disabled\",\"accessPolicies\""));
        Vaults.as("closedvault", Tokens.ALICE)
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(403).body("error.innererror.code", equalTo("ForbiddenByConnection"));
    }
}
