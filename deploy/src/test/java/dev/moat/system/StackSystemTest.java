package dev.moat.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.DecisionServiceGrpc;
import dev.moat.proto.policy.v1.GetNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.IpRule;
import dev.moat.proto.policy.v1.NetworkPolicyAdminGrpc;
import dev.moat.proto.policy.v1.Reason;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * The whole system as a user runs it: {@code deploy/moat up} starts a real Kafka broker and the three services as
 * processes; the tests drive them over HTTPS (trusting the stack's own CA), the built-in token issuer, the ARM
 * management plane, the Key Vault data plane, policy-service's gRPC API and audit-service's query API; then
 * {@code deploy/moat down} must leave no process behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackSystemTest extends OnLocalStack {

    private static final String ALLOWED_CLIENT = "203.0.113.9";
    private static final String DENIED_CLIENT = "198.51.100.1";
    private static final String DENY_BUT_TEST_NET_3 =
            "{\"defaultAction\":\"Deny\",\"bypass\":\"None\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}";

    private static ManagedChannel channel;

    @BeforeAll
    static void startStack() throws Exception {
        start(LocalStack.up("system-stack", "--trust-loopback-proxy", "--warm-up", "1"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", stack.policyGrpcPort).usePlaintext().build();
    }

    @AfterAll
    static void closeChannel() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void every_process_reports_ready() throws Exception {
        assertThat(stack.moat("status").exitCode()).isZero();
        for (String service : List.of("policy-service", "vault-service", "audit-service", "console")) {
            given().get(stack.managementInterfaceUrl(service) + "/q/health/ready").then().statusCode(200);
        }
        given().get(stack.managementInterfaceUrl("vault-service") + "/q/metrics").then().statusCode(200)
                .body(containsString("moat_vault_decision_spool_depth"));
        // not on the ports that serve clients
        given().get(stack.managementUrl() + "/q/metrics").then().statusCode(404);
        given().header("Host", stack.vaultHost("nosuchvault")).get(stack.vaultUrl() + "/q/metrics").then()
                .statusCode(404).body("error.code", equalTo("VaultNotFound"));
        given().get(stack.auditUrl() + "/q/health/ready").then().statusCode(404);
    }

    /**
     * {@code up} warmed the request path with real requests (at least one batch, whatever the seconds asked) on two
     * vaults of its own, each decided and audited like any other, and deleted both before it returned.
     */
    @Test
    @Order(0)
    void up_warms_the_request_path_with_audited_requests_and_leaves_no_vault_behind() {
        Matcher warmed = Pattern.compile("Warmed in [0-9.]+ s: (\\d+) allowed reads, (\\d+) firewall refusals and "
                + "(\\d+) token refusals(?: \\((\\d+) more answered 503[^)]*\\))?; vaults (warm-up-[0-9a-f]{8}) and "
                + "(warm-up-[0-9a-f]{8}-closed) deleted\\.").matcher(stack.upResult.output());
        assertThat(warmed.find()).as(stack.upResult.output()).isTrue();
        int allowed = Integer.parseInt(warmed.group(1));
        int firewall = Integer.parseInt(warmed.group(2));
        int token = Integer.parseInt(warmed.group(3));
        int unavailable = warmed.group(4) == null ? 0 : Integer.parseInt(warmed.group(4));
        String open = warmed.group(5);
        String closed = warmed.group(6);
        assertThat(allowed + firewall + token + unavailable).isGreaterThanOrEqualTo(800 + 80 + 80);
        assertThat(allowed).isPositive();

        for (String vault : List.of(open, closed)) {
            given().header("Host", stack.vaultHost(vault))
                    .get(stack.vaultUrl() + "/secrets/warm-up" + StackClient.API).then().statusCode(404)
                    .body("error.code", equalTo("VaultNotFound"));
        }
        // every request was decided and kept in the audit trail: the secret's PUT, the reads and the refusals
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.auditCount(open) + client.auditCount(closed))
                    .isEqualTo(1 + allowed + firewall + token + unavailable);
        });
        // this stack trusts loopback as a proxy: the warm-up played clients behind it, matched against IP rules
        client.audit().get(stack.auditUrl() + "/api/v1/decisions?vault=" + closed + "&limit=1").then()
                .statusCode(200).body("value[0].callerIp", equalTo("192.0.2.250"))
                .body("value[0].layer", equalTo("Firewall"));
        client.audit().get(stack.auditUrl() + "/api/v1/decisions?vault=" + open + "&outcome=allowed&limit=1").then()
                .statusCode(200).body("value[0].callerIp", equalTo("203.0.113.10"))
                .body("value[0].addressAuthorizationType", equalTo("IpRule"))
                .body("value[0].matchedRule", equalTo("203.0.113.0/24"));
    }

    @Test
    @Order(2)
    void a_second_up_says_the_stack_is_already_running_and_starts_nothing() throws Exception {
        Map<String, Long> before = stack.pids();
        LocalStack.Result again = stack.moat("up");
        assertThat(again.output()).containsIgnoringCase("already running");
        assertThat(stack.pids()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void every_data_plane_request_is_decided_by_its_layer_and_kept_once_in_the_audit_trail() {
        client.putVault("sysvault", DENY_BUT_TEST_NET_3, Map.of("APP", "\"get\",\"list\"")).statusCode(201);
        String app = client.dataToken("APP");

        List<String> ids = new ArrayList<>();
        ids.add(client.secretGet("sysvault", ALLOWED_CLIENT, app).then().statusCode(404)
                .body("error.code", equalTo("SecretNotFound")).extract().header("x-moat-decision-id"));
        ids.add(client.secretGet("sysvault", DENIED_CLIENT, app).then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByFirewall")).extract().header("x-moat-decision-id"));
        ids.add(client.secretGet("sysvault", ALLOWED_CLIENT, client.dataToken("ADMIN")).then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByPolicy")).extract().header("x-moat-decision-id"));
        ids.add(client.secretGet("sysvault", ALLOWED_CLIENT, null).then().statusCode(401)
                .extract().header("x-moat-decision-id"));

        client.auditEvent(ids.get(0)).body("result", equalTo("Allowed")).body("layer", equalTo("Operation"))
                .body("addressAuthorizationType", equalTo("IpRule")).body("matchedRule", equalTo("203.0.113.0/24"));
        client.auditEvent(ids.get(1)).body("result", equalTo("Denied")).body("layer", equalTo("Firewall"))
                .body("callerIp", equalTo(DENIED_CLIENT));
        client.auditEvent(ids.get(2)).body("result", equalTo("Denied")).body("layer", equalTo("AccessPolicy"));
        client.auditEvent(ids.get(3)).body("result", equalTo("Denied")).body("layer", equalTo("Authentication"));
        assertThat(client.auditCount("sysvault")).isEqualTo(4);

        given().get(stack.auditUrl() + "/api/v1/decisions?vault=sysvault").then().statusCode(401);
        given().auth().oauth2(client.managementToken("APP"))
                .get(stack.auditUrl() + "/api/v1/decisions?vault=sysvault").then().statusCode(403);
        client.audit().get(stack.auditUrl() + "/api/v1/vaults/sysvault/diagnosis").then().statusCode(200)
                .body("clients[0].clientAddress", equalTo(DENIED_CLIENT))
                .body("clients[0].remedy.kind", equalTo("AddIpRule"));
    }

    @Test
    @Order(4)
    void policy_service_answers_over_grpc_only_to_authenticated_callers() throws Exception {
        var decisions = DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        var check = CheckRequest.newBuilder().setVault("nosuchvault").setClientAddress("203.0.113.7").build();

        assertThatThrownBy(() -> decisions.check(check)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        var answer = decisions.withInterceptors(client.policyCredentials("Policy.Check")).check(check);
        assertThat(answer.getAllowed()).isFalse();
        assertThat(answer.getReason()).isEqualTo(Reason.REASON_UNKNOWN_VAULT);

        var rules = NetworkPolicyAdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(client.policyCredentials("Policy.Admin"))
                .getNetworkRuleSet(GetNetworkRuleSetRequest.newBuilder().setVault("sysvault").build());
        assertThat(rules.getNetworkAcls().getIpRulesList()).extracting(IpRule::getValue).containsExactly("203.0.113.0/24");
    }

    @Test
    @Order(5)
    void audit_service_killed_mid_stream_keeps_every_event_exactly_once() throws Exception {
        client.putVault("streamvault", DENY_BUT_TEST_NET_3, Map.of("APP", "\"get\"")).statusCode(201);
        String app = client.dataToken("APP");
        LocalStack.Launch audit = stack.launchOf("audit-service");

        List<String> ids = new ArrayList<>();
        int total = 60;
        for (int i = 0; i < total; i++) {
            if (i == total / 3) {
                stack.stop("audit-service", true);
            }
            String from = i % 2 == 0 ? ALLOWED_CLIENT : DENIED_CLIENT;
            ids.add(client.secretGet("streamvault", from, app).then().extract().header("x-moat-decision-id"));
        }
        stack.start(audit);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.auditCount("streamvault"), equalTo(total));
        for (String id : ids) {
            client.audit().get(stack.auditUrl() + "/api/v1/decisions/" + id).then().statusCode(200);
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(total);
        assertThat(client.auditCount("streamvault")).isEqualTo(total);
    }

    @Test
    @Order(6)
    void down_stops_every_process_of_the_stack() throws Exception {
        Map<String, Long> pids = stack.pids();
        assertThat(pids).containsKeys("kafka", "policy-service", "vault-service", "audit-service", "console");

        assertThat(stack.moat("down").exitCode()).isZero();

        for (var pid : pids.entrySet()) {
            assertThat(ProcessHandle.of(pid.getValue()).map(ProcessHandle::isAlive).orElse(false))
                    .as("%s (pid %d) is still alive after down", pid.getKey(), pid.getValue())
                    .isFalse();
        }
        assertThat(stack.moat("status").exitCode()).isNotZero();
        stack = null;
    }
}
