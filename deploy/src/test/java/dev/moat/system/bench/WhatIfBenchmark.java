package dev.moat.system.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.google.protobuf.Timestamp;

import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Identity;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;

/**
 * The what-if of a rule change over a week of traffic, on a running local stack: a vault whose IP rule admits
 * 20.0.0.0/18, a week of decision events from {@code origins} distinct client addresses in it (each with its own
 * caller, {@code events} requests each, spread evenly over the last 7 days) published to {@code moat.decisions.v1}
 * as vault-service publishes them and stored by audit-service, then {@code runs} timed
 * {@code POST /api/v1/vaults/{vault}/what-if} of a rule set narrowed to 20.0.0.0/19 (which locks out part of them).
 * Run by {@code deploy/bench/what-if.sh}.
 *
 * <p>Arguments: data-dir vault-port audit-port kafka-port origins events-per-origin runs audit-management-port
 */
public final class WhatIfBenchmark {

    private static final Pattern STORED = Pattern.compile("moat_audit_events_stored_total\\{[^}]*kind=\"decision\"[^}]*} ([0-9.E]+)");
    private static final String[] OPERATIONS = {"SecretGet", "SecretList", "KeySign", "KeyUnwrap"};

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int vaultPort = Integer.parseInt(args[1]);
        int auditPort = Integer.parseInt(args[2]);
        int kafkaPort = Integer.parseInt(args[3]);
        int origins = Integer.parseInt(args[4]);
        int perOrigin = Integer.parseInt(args[5]);
        int runs = Integer.parseInt(args[6]);
        String auditMetrics = "http://127.0.0.1:" + Integer.parseInt(args[7]);
        if (origins > 16384) {
            throw new IllegalArgumentException("at most 16384 origins fit in 20.0.0.0/18");
        }
        BenchStack stack = BenchStack.of(data, vaultPort);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String audit = "http://127.0.0.1:" + auditPort;
        String management = stack.token("ADMIN", "https://management.localhost/.default");

        String vault = "whatif" + System.currentTimeMillis() % 100000;
        stack.putVault(vault, management, "\"accessPolicies\":[],\"networkAcls\":{\"defaultAction\":\"Deny\","
                + "\"bypass\":\"AzureServices\",\"ipRules\":[{\"value\":\"20.0.0.0/18\"}]}");

        double storedBefore = stored(http, auditMetrics);
        long total = (long) origins * perOrigin;
        publish(kafkaPort, vault, origins, perOrigin);
        long waitStart = System.nanoTime();
        Awaitility.await("audit-service stores " + total + " events").atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofSeconds(1)).until(() -> stored(http, auditMetrics) >= storedBefore + total);
        System.out.printf("# %d decision events of %d origins stored in %.1f s after publishing%n", total, origins,
                (System.nanoTime() - waitStart) / 1e9);

        String whatIf = "{\"networkAcls\":{\"defaultAction\":\"Deny\",\"bypass\":\"AzureServices\","
                + "\"ipRules\":[{\"value\":\"20.0.0.0/19\"}]}}";
        List<Long> millis = new ArrayList<>();
        String summary = "";
        for (int run = 0; run <= runs; run++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(audit + "/api/v1/vaults/" + vault
                    + "/what-if")).header("Authorization", "Bearer " + management)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(whatIf))
                    .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("what-if answered " + answer.statusCode() + ": " + answer.body());
            }
            summary = field(answer.body(), "origins") + " origins, " + field(answer.body(), "unchanged") + " unchanged, "
                    + count(answer.body(), "\"clientAddress\"") + " entries newly denied, " + answer.body().length() + " bytes";
            if (run > 0) { // run 0 warms up the JIT, connections and the database's caches
                millis.add(elapsed);
            }
            System.out.printf("run %d: %d ms (%s)%s%n", run, elapsed, summary, run == 0 ? " [warm-up, not counted]" : "");
        }
        Collections.sort(millis);
        System.out.printf("| %d | %d | %d | %d ms | %d ms | %d ms | %s |%n", origins, total, millis.size(),
                millis.get(0), millis.get(millis.size() / 2), millis.get(millis.size() - 1), summary);
    }

    /** A week of decisions, as vault-service publishes them (CloudEvents headers, keyed by vault). */
    private static void publish(int kafkaPort, String vault, int origins, int perOrigin) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Instant end = Instant.now().minusSeconds(60);
        long weekMillis = Duration.ofDays(7).minusMinutes(5).toMillis();
        long total = (long) origins * perOrigin;
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            long n = 0;
            for (int round = 0; round < perOrigin; round++) {
                for (int origin = 0; origin < origins; origin++) {
                    Instant time = end.minusMillis(weekMillis - weekMillis * n / total);
                    String address = "20.0." + (origin / 256) + "." + (origin % 256);
                    DecisionEvent event = DecisionEvent.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setTime(Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()))
                            .setVault(vault)
                            .setOperation(OPERATIONS[(origin + round) % OPERATIONS.length])
                            .setResult(Result.RESULT_ALLOWED).setLayer(Layer.LAYER_OPERATION).setHttpStatus(200)
                            .setCallerIp(address)
                            .setIdentity(Identity.newBuilder().setTenantId("bench-tenant")
                                    .setObjectId(new UUID(1, origin).toString())
                                    .setApplicationId(new UUID(2, origin).toString()))
                            .setIsAddressAuthorized(true)
                            .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE)
                            .setMatchedRule("20.0.0.0/18").setIsAccessPolicyMatch(true)
                            .setRequestPath("/secrets/s" + origin % 100).setHttpMethod("GET").setSource("bench")
                            .build();
                    var record = new ProducerRecord<String, byte[]>("moat.decisions.v1", vault, event.toByteArray());
                    record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(event.getEventId()))
                            .add("ce_type", bytes("dev.moat.events.v1.DecisionEvent")).add("ce_source", bytes("bench"))
                            .add("ce_time", bytes(time.toString()));
                    producer.send(record);
                    n++;
                }
            }
            producer.flush();
        }
    }

    private static double stored(HttpClient http, String audit) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(audit + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = STORED.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private WhatIfBenchmark() {
    }
}
