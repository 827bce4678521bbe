package dev.moat.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.restassured.RestAssured;
import io.restassured.config.SSLConfig;
import io.restassured.response.Response;

/**
 * The whole system as a user runs it: {@code deploy/moat up} starts a real Kafka broker and the three services as
 * processes; the tests drive them over HTTPS (trusting the stack's own CA), the built-in token issuer, the ARM
 * management plane, the Key Vault data plane, policy-service's gRPC API and audit-service's query API; then
 * {@code deploy/moat down} must leave no process behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackSystemTest {

    private static final String API = "?api-version=7.5";
    private static final String ALLOWED_CLIENT = "203.0.113.9";
    private static final String DENIED_CLIENT = "198.51.100.1";

    private static LocalStack stack;
    private static ManagedChannel channel;
    private static Map<String, String> credentials;
    private static String auditToken;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.up("system-stack");
        credentials = stack.credentials();
        RestAssured.config = RestAssured.config().sslConfig(SSLConfig.sslConfig().trustStore(stack.trustStore()));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", stack.policyGrpcPort).usePlaintext().build();
    }

    @AfterAll
    static void stopStack() throws Exception {
        RestAssured.reset();
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void every_process_reports_ready() throws Exception {
        assertThat(stack.moat("status").exitCode()).isZero();
        given().get("http://127.0.0.1:" + stack.policyHttpPort + "/q/health/ready").then().statusCode(200);
        given().get(stack.auditUrl() + "/q/health/ready").then().statusCode(200);
        given().get(stack.managementUrl() + "/q/health/ready").then().statusCode(200);
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
    void every_data_plane_request_is_decided_by_its_layer_and_kept_once_in_the_audit_trail() throws Exception {
        createVault("sysvault", "203.0.113.0/24");
        String app = dataToken("APP");

        List<String> ids = new ArrayList<>();
        ids.add(secretGet("sysvault", ALLOWED_CLIENT, app).then().statusCode(404)
                .body("error.code", equalTo("SecretNotFound")).extract().header("x-moat-decision-id"));
        ids.add(secretGet("sysvault", DENIED_CLIENT, app).then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByFirewall")).extract().header("x-moat-decision-id"));
        ids.add(secretGet("sysvault", ALLOWED_CLIENT, dataToken("ADMIN")).then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByPolicy")).extract().header("x-moat-decision-id"));
        ids.add(secretGet("sysvault", ALLOWED_CLIENT, null).then().statusCode(401)
                .extract().header("x-moat-decision-id"));

        auditEvent(ids.get(0)).body("result", equalTo("Allowed")).body("layer", equalTo("Operation"))
                .body("addressAuthorizationType", equalTo("IpRule")).body("matchedRule", equalTo("203.0.113.0/24"));
        auditEvent(ids.get(1)).body("result", equalTo("Denied")).body("layer", equalTo("Firewall"))
                .body("callerIp", equalTo(DENIED_CLIENT));
        auditEvent(ids.get(2)).body("result", equalTo("Denied")).body("layer", equalTo("AccessPolicy"));
        auditEvent(ids.get(3)).body("result", equalTo("Denied")).body("layer", equalTo("Authentication"));
        assertThat(auditCount("sysvault")).isEqualTo(4);

        given().get(stack.auditUrl() + "/api/v1/decisions?vault=sysvault").then().statusCode(401);
        audit().get(stack.auditUrl() + "/api/v1/decisions?vault=sysvault").then().statusCode(200);
        given().auth().oauth2(token("APP", "https://management.localhost/.default"))
                .get(stack.auditUrl() + "/api/v1/decisions?vault=sysvault").then().statusCode(403);
        audit().get(stack.auditUrl() + "/api/v1/vaults/sysvault/diagnosis").then().statusCode(200)
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
        var answer = decisions.withInterceptors(bearer(stack.policyToken("Policy.Check"))).check(check);
        assertThat(answer.getAllowed()).isFalse();
        assertThat(answer.getReason()).isEqualTo(Reason.REASON_UNKNOWN_VAULT);

        var rules = NetworkPolicyAdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(bearer(stack.policyToken("Policy.Admin")))
                .getNetworkRuleSet(GetNetworkRuleSetRequest.newBuilder().setVault("sysvault").build());
        assertThat(rules.getNetworkAcls().getIpRulesList()).extracting(IpRule::getValue).containsExactly("203.0.113.0/24");
    }

    @Test
    @Order(5)
    void audit_service_killed_mid_stream_keeps_every_event_exactly_once() throws Exception {
        createVault("streamvault", "203.0.113.0/24");
        String app = dataToken("APP");
        long auditPid = stack.pids().get("audit-service");
        List<String> command = ProcessHandle.of(auditPid).orElseThrow().info().arguments()
                .map(List::of).orElseThrow();
        String java = ProcessHandle.of(auditPid).orElseThrow().info().command().orElseThrow();

        List<String> ids = new ArrayList<>();
        int total = 60;
        for (int i = 0; i < total; i++) {
            if (i == total / 3) {
                new ProcessBuilder("kill", "-9", String.valueOf(auditPid)).start().waitFor();
                await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(auditPid).isEmpty()
                        || !ProcessHandle.of(auditPid).get().isAlive());
            }
            String client = i % 2 == 0 ? ALLOWED_CLIENT : DENIED_CLIENT;
            ids.add(secretGet("streamvault", client, app).then().extract().header("x-moat-decision-id"));
        }

        List<String> restart = new ArrayList<>(List.of(java));
        restart.addAll(command);
        Process audit = new ProcessBuilder(restart).directory(stack.dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stack.dataDir.resolve("logs/audit-service.log").toFile()))
                .start();
        Files.writeString(stack.dataDir.resolve("run/audit-service.pid"), String.valueOf(audit.pid()));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> auditCount("streamvault"), equalTo(total));
        for (String id : ids) {
            audit().get(stack.auditUrl() + "/api/v1/decisions/" + id).then().statusCode(200);
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(total);
        assertThat(auditCount("streamvault")).isEqualTo(total);
    }

    @Test
    @Order(6)
    void down_stops_every_process_of_the_stack() throws Exception {
        Map<String, Long> pids = stack.pids();
        assertThat(pids).containsKeys("kafka", "policy-service", "vault-service", "audit-service");

        assertThat(stack.moat("down").exitCode()).isZero();

        for (var pid : pids.entrySet()) {
            assertThat(ProcessHandle.of(pid.getValue()).map(ProcessHandle::isAlive).orElse(false))
                    .as("%s (pid %d) is still alive after down", pid.getKey(), pid.getValue())
                    .isFalse();
        }
        assertThat(stack.moat("status").exitCode()).isNotZero();
        stack = null;
    }

    private static void createVault(String vault, String ipRule) {
        String body = """
                {"location":"local","properties":{"tenantId":"%1$s","sku":{"family":"A","name":"standard"},
                 "accessPolicies":[{"tenantId":"%1$s","objectId":"%2$s","permissions":{"secrets":["get","list"]}}],
                 "networkAcls":{"defaultAction":"Deny","bypass":"None","ipRules":[{"value":"%3$s"}]}}}
                """.formatted(credentials.get("MOAT_TENANT_ID"), credentials.get("MOAT_APP_OBJECT_ID"), ipRule);
        given().auth().oauth2(token("ADMIN", "https://management.localhost/.default"))
                .contentType("application/json").body(body)
                .put(stack.managementUrl() + "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/"
                        + vault + "?api-version=2023-02-01")
                .then().statusCode(201);
    }

    private static Response secretGet(String vault, String client, String token) {
        var request = given().header("Host", stack.vaultHost(vault)).header("X-Forwarded-For", client);
        if (token != null) {
            request.auth().oauth2(token);
        }
        return request.get(stack.vaultUrl() + "/secrets/db-password" + API);
    }

    private static String dataToken(String client) {
        return token(client, "https://vault.localhost:" + stack.vaultPort + "/.default");
    }

    private static String token(String client, String scope) {
        return given().formParam("grant_type", "client_credentials")
                .formParam("client_id", credentials.get("MOAT_" + client + "_CLIENT_ID"))
                .formParam("client_secret", credentials.get("MOAT_" + client + "_CLIENT_SECRET"))
                .formParam("scope", scope)
                .post(stack.managementUrl() + "/" + credentials.get("MOAT_TENANT_ID") + "/oauth2/v2.0/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static io.restassured.response.ValidatableResponse auditEvent(String id) {
        assertThat(id).isNotBlank();
        String url = stack.auditUrl() + "/api/v1/decisions/" + id;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> audit().get(url).statusCode() == 200);
        return audit().get(url).then().statusCode(200).body("eventId", equalTo(id));
    }

    /** Decision events stored for a vault, counted across every page of the query API. */
    private static int auditCount(String vault) {
        int count = 0;
        String next = stack.auditUrl() + "/api/v1/decisions?vault=" + vault + "&limit=100";
        while (next != null) {
            Response page = audit().get(next);
            if (page.statusCode() != 200) {
                return -1;
            }
            count += page.jsonPath().getList("value").size();
            next = page.jsonPath().getString("nextLink");
        }
        return count;
    }

    /** The audit trail is for administrators: their management token opens it. */
    private static io.restassured.specification.RequestSpecification audit() {
        if (auditToken == null) {
            auditToken = token("ADMIN", "https://management.localhost/.default");
        }
        return given().auth().oauth2(auditToken);
    }

    private static io.grpc.ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }
}
