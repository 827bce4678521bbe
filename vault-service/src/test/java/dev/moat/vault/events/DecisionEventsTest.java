package dev.moat.vault.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.moat.testing.http.ManagementInterface;
import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.policy.v1.Reason;
import dev.moat.proto.policy.v1.RuleSetDecision;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.TestHttps;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * One decision event per data-plane request, whatever layer decided it, never carrying the secret's value or the
 * caller's token; events go through the durable spool under the data directory.
 */
@QuarkusTest
class DecisionEventsTest {

    private static final String VAULT = "eventsvault";

    @BeforeAll
    static void https() {
        TestHttps.trustLocalCa();
    }

    @BeforeEach
    void vault() {
        PolicyServiceDouble.reset();
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all"),
                Vaults.secretsPolicy(Tokens.BOB, "list")));
    }

    /** A request with its own client request id, which the event carries as its correlation id. */
    private record Call(String correlationId, RequestSpecification spec) {
        static Call to(String vault) {
            String id = UUID.randomUUID().toString();
            return new Call(id, given().header("Host", Vaults.host(vault)).header("x-ms-client-request-id", id)
                    .queryParam("api-version", "7.5"));
        }
    }

    private static DecisionEvent theOneEventOf(Call call, String decisionId, Layer layer, Result result, int status) {
        DecisionEvent event = DecisionEvents.await(decisionId);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(DecisionEvents.withCorrelationId(call.correlationId())).hasSize(1));
        assertThat(event.getCorrelationId()).isEqualTo(call.correlationId());
        assertThat(event.getLayer()).isEqualTo(layer);
        assertThat(event.getResult()).isEqualTo(result);
        assertThat(event.getHttpStatus()).isEqualTo(status);
        assertThat(event.getVault()).isEqualTo(VAULT);
        return event;
    }

    private static void carriesNeither(DecisionEvent event, String... secrets) {
        String bytes = new String(event.toByteArray(), StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
            assertThat(bytes).doesNotContain(secret);
            assertThat(event.toString()).doesNotContain(secret);
        }
    }

    @Test
    void every_request_has_exactly_one_event_whatever_decided_it_and_none_carries_the_value_or_the_token() {
        String value = "value-" + UUID.randomUUID();
        String alice = Tokens.dataPlane().objectId(Tokens.ALICE).jwt();
        String bob = Tokens.dataPlane().objectId(Tokens.BOB).jwt();

        Call set = Call.to(VAULT);
        String id = set.spec().header("Authorization", "Bearer " + alice).contentType(ContentType.JSON)
                .body("{\"value\":\"" + value + "\"}").when().put("/secrets/evented")
                .then().statusCode(200).extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        carriesNeither(theOneEventOf(set, id, Layer.LAYER_OPERATION, Result.RESULT_ALLOWED, 200), value, alice);

        Call get = Call.to(VAULT);
        id = get.spec().header("Authorization", "Bearer " + alice).when().get("/secrets/evented")
                .then().statusCode(200).body("value", equalTo(value))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        DecisionEvent allowed = theOneEventOf(get, id, Layer.LAYER_OPERATION, Result.RESULT_ALLOWED, 200);
        carriesNeither(allowed, value, alice);
        assertThat(allowed.getOperation()).isEqualTo("SecretGet");
        assertThat(allowed.getIsAccessPolicyMatch()).isTrue();

        Call anonymous = Call.to(VAULT);
        id = anonymous.spec().when().get("/secrets/evented").then().statusCode(401)
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        theOneEventOf(anonymous, id, Layer.LAYER_AUTHENTICATION, Result.RESULT_DENIED, 401);

        Call badToken = Call.to(VAULT);
        String expired = Tokens.dataPlane().objectId(Tokens.ALICE).expired().jwt();
        id = badToken.spec().header("Authorization", "Bearer " + expired).when().get("/secrets/evented")
                .then().statusCode(401).extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        carriesNeither(theOneEventOf(badToken, id, Layer.LAYER_AUTHENTICATION, Result.RESULT_DENIED, 401), expired);

        Call policy = Call.to(VAULT);
        id = policy.spec().header("Authorization", "Bearer " + bob).when().get("/secrets/evented")
                .then().statusCode(403).body("error.innererror.code", equalTo("ForbiddenByPolicy"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        carriesNeither(theOneEventOf(policy, id, Layer.LAYER_ACCESS_POLICY, Result.RESULT_DENIED, 403), bob);

        Call invalid = Call.to(VAULT);
        id = invalid.spec().header("Authorization", "Bearer " + alice).contentType(ContentType.JSON)
                .body("{\"value\":\"" + value + "\"}").when().put("/secrets/not_valid")
                .then().statusCode(400).extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        carriesNeither(theOneEventOf(invalid, id, Layer.LAYER_OPERATION, Result.RESULT_ALLOWED, 400), value, alice);

        PolicyServiceDouble.answer = PolicyServiceDouble::deny;
        Call firewall = Call.to(VAULT);
        id = firewall.spec().header("Authorization", "Bearer " + alice).contentType(ContentType.JSON)
                .body("{\"value\":\"" + value + "\"}").when().put("/secrets/evented")
                .then().statusCode(403).body("error.innererror.code", equalTo("ForbiddenByFirewall"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        carriesNeither(theOneEventOf(firewall, id, Layer.LAYER_FIREWALL, Result.RESULT_DENIED, 403), value, alice);

        PolicyServiceDouble.answer = request -> PolicyServiceDouble.allow();
        PolicyServiceDouble.delay = Duration.ofSeconds(3);
        Call unavailable = Call.to(VAULT);
        id = unavailable.spec().header("Authorization", "Bearer " + alice).when().get("/secrets/evented")
                .then().statusCode(503).extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        theOneEventOf(unavailable, id, Layer.LAYER_FIREWALL, Result.RESULT_DENIED, 503);
    }

    @Test
    void events_are_stored_in_the_spool_under_the_data_directory_and_the_spool_is_measured() throws Exception {
        Call call = Call.to(VAULT);
        String id = call.spec().header("Authorization", Tokens.dataPlane().objectId(Tokens.ALICE).bearer())
                .when().get("/secrets/spooled").then().statusCode(404)
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        DecisionEvents.await(id);

        Path spool = TestHttps.DATA_DIR.resolve("vault").resolve("spool");
        try (Stream<Path> files = Files.list(spool)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.matches("segment-\\d{16}\\.log"));
        }
        ManagementInterface.given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("moat_vault_decision_spool_depth"))
                .body(containsString("moat_vault_decision_spool_capacity 1000000.0"))
                .body(containsString("moat_vault_decision_events_delivered_total"))
                .body(containsString("moat_vault_decision_events_dropped_total 0.0"))
                .body(containsString("moat_vault_decision_events_rejected_total 0.0"));
        // (the double of policy-service has no gRPC health service, so the whole readiness is down in these tests)
        ManagementInterface.given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'decision-events' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'decision-events' }.data.kafka", equalTo("delivering"));
    }

    @Test
    void the_staged_rule_set_is_recorded_beside_the_enforced_one_and_never_enforced() {
        PolicyServiceDouble.answer = request -> PolicyServiceDouble.allow().toBuilder()
                .setStaged(RuleSetDecision.newBuilder().setAllowed(false).setReason(Reason.REASON_DENIED)
                        .setMessage("no staged rule admits " + request.getClientAddress()))
                .build();
        Call call = Call.to(VAULT);
        String id = call.spec().header("Authorization", Tokens.dataPlane().objectId(Tokens.ALICE).bearer())
                .when().get("/secrets/staged").then().statusCode(404)
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        DecisionEvent event = theOneEventOf(call, id, Layer.LAYER_OPERATION, Result.RESULT_ALLOWED, 404);
        assertThat(event.getIsAddressAuthorized()).isTrue();
        assertThat(event.getAddressAuthorizationType()).isEqualTo(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE);
        assertThat(event.hasStaged()).isTrue();
        assertThat(event.getStaged().getIsAddressAuthorized()).isFalse();
        assertThat(event.getStaged().getAddressAuthorizationType())
                .isEqualTo(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_DENIED);

        Call plain = Call.to(VAULT);
        PolicyServiceDouble.answer = request -> PolicyServiceDouble.allow();
        String plainId = plain.spec().header("Authorization", Tokens.dataPlane().objectId(Tokens.ALICE).bearer())
                .when().get("/secrets/staged").then().statusCode(404)
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        assertThat(theOneEventOf(plain, plainId, Layer.LAYER_OPERATION, Result.RESULT_ALLOWED, 404).hasStaged()).isFalse();
    }
}
