package dev.moat.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.path.json.JsonPath;

/**
 * The production topology on one machine, {@code deploy/moat up --topology ha}: a PostgreSQL server, three Kafka
 * brokers, two replicas of each service and HAProxy in front, all real processes. One stack serves every test here
 * (it is the slowest thing in the build to start); the last test stops it and checks by pid that nothing is left.
 * Client addresses are played with {@code X-Forwarded-For}: the balancer passes the TCP peer with PROXY protocol,
 * and this stack is started with {@code --trust-loopback-proxy}, so that loopback may present other addresses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaSystemTest {

    private static final List<String> PROCESSES = List.of("postgres", "kafka-1", "kafka-2", "kafka-3",
            "policy-service-1", "policy-service-2", "balancer", "vault-service-1", "vault-service-2",
            "audit-service-1", "audit-service-2");
    private static final String ALLOWED = "203.0.113.9";

    private static LocalStack stack;
    private static StackClient client;
    private static HttpClient http;

    @BeforeAll
    static void startStack() throws Exception {
        long t0 = System.nanoTime();
        stack = LocalStack.upHa("ha-stack", "--trust-loopback-proxy");
        System.out.printf("[ha] deploy/moat up --topology ha: ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        client = new StackClient(stack);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(stack.trustStore());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterAll
    static void stopStack() throws Exception {
        StackClient.reset();
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void up_starts_every_process_of_the_topology_and_prints_the_endpoints() throws Exception {
        assertThat(stack.upResult.output()).contains("Endpoints", "topology ha", "https://{vault-name}.vault.localhost:"
                + stack.vaultPort, "http://127.0.0.1:" + stack.auditPort);
        assertThat(stack.pids()).containsOnlyKeys(PROCESSES);
        for (long pid : stack.pids().values()) {
            assertThat(ProcessHandle.of(pid)).as("pid %d", pid).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        }
        LocalStack.Result status = stack.moat("status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        for (String name : PROCESSES) {
            assertThat(status.output()).containsPattern("(?m)^" + name + "\\s+running\\s+\\d+\\s+\\S+\\s+yes$");
        }
    }

    @Test
    @Order(2)
    void a_rule_changed_through_one_replica_is_enforced_by_every_replica_within_a_second() throws Exception {
        String app = client.dataToken("APP");
        client.putVault("haprop", acls("203.0.113.0/24"), Map.of("APP", "\"get\",\"set\"")).statusCode(201);
        for (int replica : List.of(1, 2)) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> get(replicaUrl(replica, "haprop", "/secrets/missing"), ALLOWED, app).body(),
                            containsString("SecretNotFound"));
        }

        // the change goes through vault-service-1 (its own balancer port); each replica is then asked on its own
        String body = """
                {"location":"local","properties":{"tenantId":"%s","sku":{"family":"A","name":"standard"},
                 "accessPolicies":[{"tenantId":"%s","objectId":"%s","permissions":{"secrets":["get","set"]}}],
                 "networkAcls":%s}}""".formatted(client.credential("MOAT_TENANT_ID"), client.credential("MOAT_TENANT_ID"),
                client.credential("MOAT_APP_OBJECT_ID"), acls("198.51.100.0/24"));
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + stack.vaultReplicaPort(1) + "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/"
                + "haprop?api-version=2023-02-01")).header("Authorization", "Bearer " + client.managementToken("ADMIN"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        long changed = System.nanoTime();
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        Map<Integer, Double> propagation = new HashMap<>();
        List<Integer> pending = new ArrayList<>(List.of(1, 2));
        long deadline = changed + Duration.ofSeconds(5).toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (Integer replica : List.copyOf(pending)) {
                HttpResponse<String> response = get(replicaUrl(replica, "haprop", "/secrets/missing"), ALLOWED, app);
                if (response.statusCode() == 403 && response.body().contains("ForbiddenByFirewall")) {
                    propagation.put(replica, (System.nanoTime() - changed) / 1e6);
                    pending.remove(replica);
                }
            }
        }
        System.out.printf("[ha] rule change through vault-service-1 enforced by vault-service-1 after %s ms, "
                + "by vault-service-2 after %s ms%n", propagation.get(1), propagation.get(2));
        assertThat(pending).as("replicas still admitting the old range after 5 s").isEmpty();
        assertThat(propagation.values()).allSatisfy(ms -> assertThat(ms).isLessThan(1000.0));

        // a secret written through one replica is read through the other at once
        HttpResponse<String> write = send(HttpRequest.newBuilder(URI.create(replicaUrl(1, "haprop", "/secrets/shared")))
                .header("X-Forwarded-For", "198.51.100.20").header("Authorization", "Bearer " + app)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"written-on-1\"}")));
        assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
        HttpResponse<String> read = get(replicaUrl(2, "haprop", "/secrets/shared"), "198.51.100.20", app);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(JsonPath.from(read.body()).getString("value")).isEqualTo("written-on-1");
    }

    @Test
    @Order(3)
    void down_leaves_no_process_of_the_topology() throws Exception {
        Map<String, Long> pids = stack.pids();
        assertThat(pids).containsOnlyKeys(PROCESSES);
        LocalStack.Result down = stack.moat("down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        for (var entry : pids.entrySet()) {
            assertThat(ProcessHandle.of(entry.getValue()).map(ProcessHandle::isAlive).orElse(false))
                    .as("%s (pid %d) alive after down", entry.getKey(), entry.getValue()).isFalse();
        }
        assertThat(stack.pids()).isEmpty();
    }

    private static String acls(String range) {
        return "{\"defaultAction\":\"Deny\",\"bypass\":\"None\",\"ipRules\":[{\"value\":\"" + range + "\"}]}";
    }

    private static String replicaUrl(int replica, String vault, String path) {
        return "https://" + vault + ".vault.localhost:" + stack.vaultReplicaPort(replica) + path + StackClient.API;
    }

    private static HttpResponse<String> get(String url, String clientAddress, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-For", clientAddress)
                .header("Authorization", "Bearer " + token).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
