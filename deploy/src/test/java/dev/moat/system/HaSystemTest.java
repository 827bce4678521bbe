package dev.moat.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;


import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
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
class HaSystemTest extends OnLocalStack {

    private static final List<String> PROCESSES = List.of("postgres", "kafka-1", "kafka-2", "kafka-3",
            "policy-service-1", "policy-service-2", "balancer", "vault-service-1", "vault-service-2",
            "audit-service-1", "audit-service-2");
    private static final String ALLOWED = "203.0.113.9";
    private static final String DENIED = "198.51.100.7";

    private static HttpClient http;

    @BeforeAll
    static void startStack() throws Exception {
        start(LocalStack.upHa("ha-stack", "--trust-loopback-proxy"));
        http = stack.httpClient();
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
        HttpRequest.Builder writeShared = HttpRequest.newBuilder(URI.create(replicaUrl(1, "haprop", "/secrets/shared")))
                .header("X-Forwarded-For", "198.51.100.20").header("Authorization", "Bearer " + app)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"written-on-1\"}"));
        HttpResponse<String> write = retryingUnavailable(() -> send(writeShared), HaSystemTest::unavailable);
        assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
        HttpResponse<String> read = retryingUnavailable(() -> get(replicaUrl(2, "haprop", "/secrets/shared"),
                "198.51.100.20", app), HaSystemTest::unavailable);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(JsonPath.from(read.body()).getString("value")).isEqualTo("written-on-1");
    }

    @Test
    @Order(3)
    void under_load_killing_a_replica_of_each_service_and_a_broker_serves_no_wrong_decision_and_loses_nothing()
            throws Exception {
        client.putVault("hachaos", acls("203.0.113.0/24"), Map.of("APP", "\"get\",\"set\"")).statusCode(201);
        Load load = new Load(client.dataToken("APP"), client.dataToken("TRUSTED_AZURE_BACKUP"));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> load.track(get(load.url("/secrets/missing"), ALLOWED, load.app)).body(),
                        containsString("SecretNotFound"));

        // three clients in a closed loop: a steady load that leaves the 2-core CI machine room to restart what is killed
        int clients = 3;
        ExecutorService workers = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int worker = 0; worker < clients; worker++) {
            int id = worker;
            running.add(workers.submit(() -> load.run(id)));
        }
        List<Kill> kills = new ArrayList<>();
        try {
            for (String victim : List.of("vault-service-1", "policy-service-1", "audit-service-1", "kafka-2")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.requests.get() > 0 && load.sinceLastKill() > 8);
                kills.add(killAndRestart(victim, load));
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> (System.nanoTime() - start) / 1e9 >= 70);
        } finally {
            load.stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            workers.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // 1. no request was answered with a wrong decision
        System.out.printf("[ha] load: %d requests in %.1f s (%d acknowledged writes), %d retryable failures%n",
                load.requests.get(), seconds, load.written.size(), load.failures.size());
        assertThat(load.wrong).as("requests answered with a wrong decision").isEmpty();

        // 2. retryable failures only while a part is down or rejoining: each failure belongs to the last kill before
        //    it, and comes before 15 s after the killed process was ready again
        for (int k = 0; k < kills.size(); k++) {
            Kill kill = kills.get(k);
            long next = k + 1 < kills.size() ? kills.get(k + 1).at : Long.MAX_VALUE;
            List<Long> mine = load.failures.stream().sorted().filter(t -> t >= kill.at && t < next).toList();
            System.out.printf("[ha] kill -9 %s: restarted and ready after %.1f s; %d retryable failures, from %.1f s "
                    + "to %.1f s after the kill%n", kill.name, (kill.ready - kill.at) / 1e9, mine.size(),
                    mine.isEmpty() ? 0 : (mine.get(0) - kill.at) / 1e9, span(mine, kill.at));
        }
        assertThat(load.failures).as("retryable failures outside the windows after the kills")
                .allSatisfy(t -> assertThat(kills.stream().anyMatch(k -> t >= k.at && t < k.until)).isTrue());

        // 3. every acknowledged write is readable afterwards, through the balancer
        for (var entry : load.written.entrySet()) {
            HttpResponse<String> read = retryingUnavailable(() -> get(load.url("/secrets/" + entry.getKey()), ALLOWED,
                    load.app), response -> unavailable(load.track(response)));
            assertThat(read.statusCode()).as("secret %s: %s", entry.getKey(), read.body()).isEqualTo(200);
            assertThat(JsonPath.from(read.body()).getString("value")).isEqualTo(entry.getValue());
        }

        // 4. every request's decision event is stored exactly once (events whose answer was lost with a killed
        //    connection may be stored too, never more than one per lost answer); the read-back above counts too
        Set<String> seen = Set.copyOf(load.decisionIds);
        assertThat(seen).hasSameSizeAs(load.decisionIds);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> Set.copyOf(storedDecisionIds("hachaos")).containsAll(seen));
        List<String> stored = storedDecisionIds("hachaos");
        System.out.printf("[ha] decision events: %d answers named one, %d stored (%d distinct), %d connections lost%n",
                seen.size(), stored.size(), Set.copyOf(stored).size(), load.connectionErrors.get());
        assertThat(stored).as("decision events stored twice").doesNotHaveDuplicates();
        // An answer is lost when its replica dies after the event reached the spool: the client then sees a closed
        // connection, or, for a GET whose connection closed before any byte of the answer, its HTTP client sends
        // the request again by itself (the JDK's does, as the Azure SDKs' retry policy does) and sees the second
        // answer only. The one kill of a vault-service replica can so lose at most one answer per client.
        assertThat(stored.size() - seen.size()).as("events stored for requests whose answer was lost")
                .isBetween(0, load.connectionErrors.get() + clients);

        // the topics are replicated as the topology promises
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            TopicDescription decisions = admin.describeTopics(List.of("moat.decisions.v1")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get("moat.decisions.v1");
            assertThat(decisions.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, "moat.decisions.v1");
            assertThat(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                    .get("min.insync.replicas").value()).isEqualTo("2");
        }
    }

    @Test
    @Order(4)
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

    // ---------------------------------------------------------------------------------------------------------------

    private record Kill(String name, long at, long ready, long until) {
    }

    private static double span(List<Long> failures, long from) {
        return failures.isEmpty() ? 0 : (failures.get(failures.size() - 1) - from) / 1e9;
    }

    /** kill -9, start it again as it was started, wait until it is ready; failures are expected until a while after. */
    private static Kill killAndRestart(String name, Load load) throws Exception {
        LocalStack.Launch launch = stack.launchOf(name);
        long at = System.nanoTime();
        load.lastKill.set(at);
        stack.stop(name, true);
        stack.start(launch);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> ready(name));
        long ready = System.nanoTime();
        System.out.printf("[ha] killed %s, restarted, ready after %.1f s%n", name, (ready - at) / 1e9);
        return new Kill(name, at, ready, ready + Duration.ofSeconds(15).toNanos());
    }

    private static boolean ready(String name) throws Exception {
        if (name.startsWith("kafka")) {
            return kafkaBrokerRegistered(Integer.parseInt(name.substring(name.length() - 1)));
        }
        return http.send(HttpRequest.newBuilder(URI.create(stack.managementInterfaceUrl(name) + "/q/health/ready"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** The restarted broker answers on its own port and is back in the cluster's metadata. */
    private static boolean kafkaBrokerRegistered(int n) throws Exception {
        int port = n == 1 ? stack.kafkaPort : stack.internalPortBase + 2 * n - 4;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().anyMatch(node -> node.id() == n);
        }
    }

    /** Steady mixed load through the balancer, each answer judged against what the vault's rules say it must be. */
    private static final class Load {
        final String app;
        final String untrusted;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong lastKill = new AtomicLong(System.nanoTime());
        final AtomicInteger connectionErrors = new AtomicInteger();
        final Map<String, String> written = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> decisionIds = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

        Load(String app, String untrusted) {
            this.app = app;
            this.untrusted = untrusted;
        }

        /** Notes the decision event id a response names: every request to the vault must have its event stored. */
        HttpResponse<String> track(HttpResponse<String> response) {
            response.headers().firstValue("x-moat-decision-id").ifPresent(decisionIds::add);
            return response;
        }

        String url(String path) {
            return "https://hachaos.vault.localhost:" + stack.vaultPort + path + StackClient.API;
        }

        double sinceLastKill() {
            return (System.nanoTime() - lastKill.get()) / 1e9;
        }

        void run(int worker) {
            long i = 0;
            while (!stop.get()) {
                i++;
                String name = "w" + worker + "-" + i;
                switch ((int) (i % 4)) {
                    case 0 -> {
                        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(url("/secrets/" + name)))
                                .header("X-Forwarded-For", ALLOWED).header("Authorization", "Bearer " + app)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"v-" + name + "\"}"));
                        if (judge("write " + name, put, 200, null)) {
                            written.put(name, "v-" + name);
                        }
                    }
                    case 1 -> judge("read", request("/secrets/missing", ALLOWED, app), 404, "SecretNotFound");
                    case 2 -> judge("firewall denial", request("/secrets/missing", DENIED, app), 403,
                            "ForbiddenByFirewall");
                    default -> judge("access-policy denial", request("/secrets/missing", ALLOWED, untrusted), 403,
                            "ForbiddenByPolicy");
                }
            }
        }

        HttpRequest.Builder request(String path, String client, String token) {
            return HttpRequest.newBuilder(URI.create(url(path))).header("X-Forwarded-For", client)
                    .header("Authorization", "Bearer " + token).GET();
        }

        /** True when the answer is the expected one; a 503 or a lost connection is retryable, anything else wrong. */
        boolean judge(String what, HttpRequest.Builder request, int status, String code) {
            requests.incrementAndGet();
            HttpResponse<String> response;
            try {
                response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                connectionErrors.incrementAndGet();
                failures.add(System.nanoTime());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.set(true);
                return false;
            }
            track(response);
            if (response.statusCode() == 503) {
                failures.add(System.nanoTime());
                return false;
            }
            boolean right = response.statusCode() == status && (code == null || response.body().contains(code));
            if (!right && wrong.size() < 20) {
                wrong.add(what + ": " + response.statusCode() + " " + response.body());
            }
            return right;
        }
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

    /** Prints an answer that is sent again (see {@link #retryingUnavailable}). */
    private static void unavailable(HttpResponse<String> response) {
        if (response.statusCode() == 503) {
            System.out.printf("[ha] %s %s answered 503%n", response.request().method(), response.uri());
        }
    }

    /** Every decision event audit-service stored for the vault, by id, across all pages (through the balancer). */
    private static List<String> storedDecisionIds(String vault) {
        List<String> ids = new ArrayList<>();
        String next = stack.auditUrl() + "/api/v1/decisions?vault=" + vault + "&limit=100";
        while (next != null) {
            JsonPath page = client.audit().get(next).then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("value.eventId"));
            next = page.getString("nextLink");
        }
        return ids;
    }
}
