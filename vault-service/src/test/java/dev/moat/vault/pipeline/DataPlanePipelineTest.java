package dev.moat.vault.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.proto.policy.v1.Reason;
import dev.moat.testing.kafka.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PolicyServiceDouble.class, restrictToAnnotatedClass = true)
class DataPlanePipelineTest {

    private static final String VAULT_HOST = "myvault.vault.localhost";
    private static final Map<String, DecisionEvent> events = new ConcurrentHashMap<>();
    private static KafkaConsumer<String, byte[]> consumer;
    private static Thread poller;

    @BeforeAll
    static void consumeDecisionEvents() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "pipeline-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("moat.decisions.v1"));
        poller = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        DecisionEvent event = parse(record.value());
                        events.put(event.getEventId(), event);
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // closing
            }
        });
        poller.start();
    }

    @AfterAll
    static void stopConsuming() throws InterruptedException {
        consumer.wakeup();
        poller.join();
        consumer.close();
    }

    @BeforeEach
    void resetPolicyDouble() {
        PolicyServiceDouble.delay = Duration.ZERO;
        PolicyServiceDouble.received.clear();
        PolicyServiceDouble.answer = request -> allow();
    }

    @Test
    void an_allowed_request_runs_the_operation_and_publishes_one_allowed_event() {
        String id = given().header("Host", VAULT_HOST)
                .when().get("/secrets/db-password/?api-version=7.5")
                .then().statusCode(404)
                .body("error.code", equalTo("SecretNotFound"))
                .header(DataPlanePipeline.DECISION_ID_HEADER, notNullValue())
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        assertThat(PolicyServiceDouble.received).singleElement().satisfies(check -> {
            assertThat(check.getVault()).isEqualTo("myvault");
            assertThat(check.getOperation()).isEqualTo("SecretGet");
            assertThat(check.getClientAddress()).isEqualTo("127.0.0.1");
        });
        DecisionEvent event = awaitEvent(id);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_ALLOWED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_OPERATION);
        assertThat(event.getHttpStatus()).isEqualTo(404);
        assertThat(event.getAddressAuthorizationType())
                .isEqualTo(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE);
        assertThat(event.getMatchedRule()).isEqualTo("127.0.0.0/8");
        assertThat(event.getCallerIp()).isEqualTo("127.0.0.1");
        assertThat(event.getRequestPath()).isEqualTo("/secrets/db-password/");
        assertThat(event.getVault()).isEqualTo("myvault");
    }

    @Test
    void a_firewall_denial_is_a_403_forbidden_by_firewall_naming_the_client_and_the_vault() {
        PolicyServiceDouble.answer = request -> CheckResponse.newBuilder()
                .setAllowed(false).setReason(Reason.REASON_DENIED)
                .setDecisionId(UUID.randomUUID().toString())
                .setMessage("no rule admits " + request.getClientAddress()).build();

        String id = given().header("Host", VAULT_HOST)
                .when().get("/secrets/db-password")
                .then().statusCode(403)
                .body("error.code", equalTo("Forbidden"))
                .body("error.innererror.code", equalTo("ForbiddenByFirewall"))
                .body("error.message", containsString("Client address: 127.0.0.1"))
                .body("error.message", containsString("Vault: myvault"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        DecisionEvent event = awaitEvent(id);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_DENIED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_FIREWALL);
        assertThat(event.getHttpStatus()).isEqualTo(403);
        assertThat(event.getIsAddressAuthorized()).isFalse();
        assertThat(event.getReason()).contains("127.0.0.1");
    }

    @Test
    void a_slow_policy_service_fails_closed_with_503() {
        PolicyServiceDouble.delay = Duration.ofSeconds(2);

        String id = given().header("Host", VAULT_HOST)
                .when().get("/secrets/db-password")
                .then().statusCode(503)
                .body("error.code", equalTo("ServiceUnavailable"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        DecisionEvent event = awaitEvent(id);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_DENIED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_FIREWALL);
        assertThat(event.getIsAddressAuthorized()).isFalse();
    }

    @Test
    void a_policy_service_that_is_down_fails_closed_and_recovery_needs_no_restart() throws Exception {
        PolicyServiceDouble.stopServer();
        try {
            given().header("Host", VAULT_HOST).when().get("/secrets/db-password")
                    .then().statusCode(503).body("error.code", equalTo("ServiceUnavailable"));
        } finally {
            PolicyServiceDouble.startServer();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Host", VAULT_HOST).when().get("/secrets/db-password")
                        .then().statusCode(404).body("error.code", equalTo("SecretNotFound")));
    }

    @Test
    void forwarded_for_is_ignored_when_no_proxy_is_trusted() {
        given().header("Host", VAULT_HOST).header("X-Forwarded-For", "203.0.113.50")
                .when().get("/secrets/db-password").then().statusCode(404);

        assertThat(PolicyServiceDouble.received).singleElement()
                .satisfies(check -> assertThat(check.getClientAddress()).isEqualTo("127.0.0.1"));
    }

    @Test
    void a_host_that_is_not_a_vault_host_gets_404_and_never_reaches_the_firewall() {
        given().header("Host", "localhost")
                .when().get("/secrets/db-password")
                .then().statusCode(404)
                .body("error.code", equalTo("VaultNotFound"));

        assertThat(PolicyServiceDouble.received).isEmpty();
    }

    private static CheckResponse allow() {
        return CheckResponse.newBuilder()
                .setAllowed(true).setReason(Reason.REASON_IP_RULE).setMatchedRule("127.0.0.0/8")
                .setDecisionId(UUID.randomUUID().toString()).build();
    }

    private static DecisionEvent awaitEvent(String id) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> Optional.ofNullable(events.get(id)), Optional::isPresent).orElseThrow();
    }

    private static DecisionEvent parse(byte[] bytes) {
        try {
            return DecisionEvent.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
