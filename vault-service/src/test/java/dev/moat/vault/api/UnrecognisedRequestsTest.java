package dev.moat.vault.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
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

/** Requests on a vault host that match no operation pass the token and the firewall and leave a decision event. */
@QuarkusTest
class UnrecognisedRequestsTest implements FreshPolicyService {

    private static final String VAULT = "unknownroutes";

    @BeforeEach
    void vault() {
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "get")));
        PolicyServiceDouble.received.clear();
    }

    @Test
    void an_unknown_path_is_challenged_then_firewalled_then_answered_404_and_recorded() {
        String id = given().header("Host", Vaults.host(VAULT)).when().get("/storage/x?api-version=7.5")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer authorization="))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        assertThat(DecisionEvents.await(id).getLayer()).isEqualTo(Layer.LAYER_AUTHENTICATION);

        id = Vaults.as(VAULT, Tokens.BOB)
                .when().get("/storage/x?api-version=7.5")
                .then().statusCode(404)
                .body("error.code", equalTo("NotFound"))
                .body("error.message", containsString("'/storage/x' is not a Key Vault operation"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getOperation()).isEmpty();
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_OPERATION);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_ALLOWED);
        assertThat(event.getHttpStatus()).isEqualTo(404);
        assertThat(PolicyServiceDouble.received).singleElement()
                .satisfies(check -> assertThat(check.getOperation()).isEmpty());

        PolicyServiceDouble.answer = PolicyServiceDouble::deny;
        Vaults.as(VAULT, Tokens.BOB)
                .when().get("/storage/x?api-version=7.5")
                .then().statusCode(403).body("error.innererror.code", equalTo("ForbiddenByFirewall"));
    }

    @Test
    void a_method_a_path_does_not_take_is_405_and_recorded() {
        String id = Vaults.as(VAULT, Tokens.ALICE)
                .when().post("/secrets/s1?api-version=7.5")
                .then().statusCode(405).body("error.code", equalTo("MethodNotAllowed"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        assertThat(DecisionEvents.await(id).getHttpStatus()).isEqualTo(405);
    }

    @Test
    void other_hosts_keep_the_frameworks_answer() {
        given().header("Host", "localhost:" + io.restassured.RestAssured.port).when().get("/storage/x")
                .then().statusCode(404);
        assertThat(PolicyServiceDouble.received).isEmpty();
    }
}
