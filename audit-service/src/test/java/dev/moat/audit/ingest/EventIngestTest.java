package dev.moat.audit.ingest;

import static dev.moat.audit.support.Tokens.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.moat.testing.http.ManagementInterface;
import dev.moat.audit.store.Database;
import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Events;
import dev.moat.audit.support.Publisher;
import dev.moat.audit.support.PublishingTest;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.testing.kafka.KafkaBrokerResource;

/** Events published to the real broker end up stored once, and poison never stops the consumer. */
@QuarkusTest
@QuarkusTestResource(AuditKafkaResource.class)
class EventIngestTest extends PublishingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Database database;

    @Inject
    MeterRegistry registry;

    private static String newVault() {
        return "vault-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void a_published_decision_is_found_by_its_id_with_every_field() {
        Instant time = Instant.parse("2024-05-01T12:00:00.123456789Z");
        DecisionEvent event = Events.firewallDenial(newVault(), "203.0.113.7", time)
                .setMatchedRule("")
                .setSubnetId("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vn/subnets/app")
                .build();
        long delaysBefore = registry.get("moat.audit.events.delay").tag("kind", "decision").timer().count();
        publisher.decision(event);

        await().atMost(WAIT).untilAsserted(() -> asAdmin().get("/api/v1/decisions/{id}", event.getEventId())
                .then().statusCode(200));
        assertThat(registry.get("moat.audit.events.delay").tag("kind", "decision").timer().count())
                .as("the stored decision's time to queryable is counted").isGreaterThan(delaysBefore);

        asAdmin().get("/api/v1/decisions/{id}", event.getEventId()).then()
                .body("eventId", equalTo(event.getEventId()))
                .body("time", equalTo("2024-05-01T12:00:00.123456Z"))
                .body("vault", equalTo(event.getVault()))
                .body("operation", equalTo("SecretGet"))
                .body("result", equalTo("Denied"))
                .body("layer", equalTo("Firewall"))
                .body("httpStatus", equalTo(403))
                .body("callerIp", equalTo("203.0.113.7"))
                .body("tenantId", equalTo(event.getIdentity().getTenantId()))
                .body("objectId", equalTo(event.getIdentity().getObjectId()))
                .body("applicationId", equalTo(event.getIdentity().getApplicationId()))
                .body("isAddressAuthorized", equalTo(false))
                .body("addressAuthorizationType", equalTo("Denied"))
                .body("matchedRule", equalTo(null))
                .body("subnetId", equalTo(event.getSubnetId()))
                .body("isAccessPolicyMatch", equalTo(false))
                .body("durationMs", equalTo(3))
                .body("correlationId", equalTo(event.getCorrelationId()))
                .body("reason", equalTo(event.getReason()))
                .body("requestPath", equalTo("/secrets/db-password"))
                .body("httpMethod", equalTo("GET"))
                .body("source", equalTo("vault-service-1"));
    }

    @Test
    void an_event_delivered_twice_is_stored_once() {
        String vault = newVault();
        DecisionEvent event = Events.firewallDenial(vault, "198.51.100.1", Instant.now()).build();
        DecisionEvent marker = Events.firewallDenial(vault, "198.51.100.2", Instant.now().plusSeconds(1)).build();
        publisher.decision(event);
        publisher.decision(event);
        publisher.decision(marker);

        assertStoredOnceEach(vault, marker, event);
    }

    /** Same key, same partition: once the marker is stored, every copy published before it has been consumed. */
    private static void assertStoredOnceEach(String vault, DecisionEvent marker, DecisionEvent event) {
        await().atMost(WAIT).untilAsserted(() -> asAdmin().get("/api/v1/decisions/{id}", marker.getEventId())
                .then().statusCode(200));
        asAdmin().queryParam("vault", vault).get("/api/v1/decisions").then()
                .statusCode(200)
                .body("value", hasSize(2))
                .body("value.eventId", equalTo(List.of(marker.getEventId(), event.getEventId())));
    }

    @Test
    void an_event_redelivered_after_its_batch_was_stored_is_skipped_and_the_rest_of_the_batch_stored() {
        String vault = newVault();
        DecisionEvent event = Events.firewallDenial(vault, "198.51.100.3", Instant.now()).build();
        publisher.decision(event);
        await().atMost(WAIT).untilAsserted(() -> asAdmin().get("/api/v1/decisions/{id}", event.getEventId())
                .then().statusCode(200));
        double duplicatesBefore = duplicates();

        // A later batch holding the stored event again (as after a crash before the offset commit) and a new one:
        // the primary key refuses the first attempt, the second skips the stored id.
        DecisionEvent marker = Events.firewallDenial(vault, "198.51.100.4", Instant.now().plusSeconds(1)).build();
        publisher.decision(event);
        publisher.decision(marker);
        assertStoredOnceEach(vault, marker, event);
        assertThat(duplicates()).isGreaterThan(duplicatesBefore);
    }

    private double duplicates() {
        return registry.find("moat.audit.events.duplicates").counter().count();
    }

    @Test
    void a_poison_record_goes_to_the_dead_letter_topic_and_the_next_event_is_stored() {
        String vault = newVault();
        byte[] garbage = "{\"not\":\"protobuf\"}".getBytes(StandardCharsets.UTF_8);
        publisher.send(AuditKafkaResource.DECISIONS, vault, garbage,
                Publisher.headers("poison-1", "dev.moat.events.v1.DecisionEvent"));
        DecisionEvent valid = Events.firewallDenial(vault, "198.51.100.9", Instant.now()).build();
        publisher.decision(valid);

        await().atMost(WAIT).untilAsserted(() -> asAdmin().get("/api/v1/decisions/{id}", valid.getEventId())
                .then().statusCode(200));
        ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(vault);
        assertThat(deadLetter.value()).isEqualTo(garbage);
        assertThat(header(deadLetter, "moat_dlq_topic")).isEqualTo(AuditKafkaResource.DECISIONS);
        assertThat(header(deadLetter, "moat_dlq_reason")).startsWith("not a dev.moat.events.v1.DecisionEvent message");
        assertThat(header(deadLetter, "ce_id")).isEqualTo("poison-1");
    }

    @Test
    void an_event_of_an_unknown_version_is_dead_lettered() {
        String vault = newVault();
        DecisionEvent future = Events.firewallDenial(vault, "198.51.100.10", Instant.now()).build();
        publisher.send(AuditKafkaResource.DECISIONS, vault, future.toByteArray(),
                Publisher.headers(future.getEventId(), "dev.moat.events.v2.DecisionEvent"));

        ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(vault);
        assertThat(header(deadLetter, "moat_dlq_reason"))
                .isEqualTo("ce_type dev.moat.events.v2.DecisionEvent is not dev.moat.events.v1.DecisionEvent");
        asAdmin().get("/api/v1/decisions/{id}", future.getEventId()).then().statusCode(404);
    }

    @Test
    void an_event_with_a_value_this_version_does_not_know_is_dead_lettered() {
        String vault = newVault();
        DecisionEvent unknownLayer = Events.firewallDenial(vault, "198.51.100.11", Instant.now()).setLayerValue(9).build();
        publisher.decision(unknownLayer);

        ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(vault);
        assertThat(header(deadLetter, "moat_dlq_reason")).isEqualTo("layer has the value 9, which this version does not know");
    }

    @Test
    void an_event_the_database_refuses_is_dead_lettered_and_the_rest_of_its_batch_is_stored() throws Exception {
        String refused = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        String vault = newVault();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("ALTER TABLE decision_event ADD CONSTRAINT test_refuses CHECK (vault NOT LIKE 'refused-%')");
        }
        try {
            DecisionEvent bad = Events.firewallDenial(refused, "198.51.100.20", Instant.now()).build();
            DecisionEvent good = Events.firewallDenial(vault, "198.51.100.21", Instant.now()).build();
            publisher.decision(bad);
            publisher.decision(good);

            ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(refused);
            assertThat(header(deadLetter, "moat_dlq_reason")).startsWith("the database refused the event (SQLState 23");
            await().atMost(WAIT).untilAsserted(() -> asAdmin().get("/api/v1/decisions/{id}", good.getEventId())
                    .then().statusCode(200));
            asAdmin().get("/api/v1/decisions/{id}", bad.getEventId()).then().statusCode(404);
        } finally {
            try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
                sql.execute("ALTER TABLE decision_event DROP CONSTRAINT test_refuses");
            }
        }
    }

    @Test
    void offsets_wait_for_a_failing_store_and_the_event_is_stored_once_it_recovers() throws Exception {
        double failuresBefore = storeFailures();
        DecisionEvent event = Events.firewallDenial(newVault(), "198.51.100.30", Instant.now()).build();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            // Not a problem with the data: the store is unavailable, so the batch must wait, not be skipped.
            sql.execute("ALTER TABLE decision_event RENAME TO decision_event_away");
        }
        RecordMetadata published;
        try {
            published = publisher.decision(event);
            await().atMost(WAIT).until(() -> storeFailures() > failuresBefore);
            assertThat(committedOffset(published)).isLessThanOrEqualTo(published.offset());
        } finally {
            try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
                sql.execute("ALTER TABLE decision_event_away RENAME TO decision_event");
            }
        }

        await().atMost(WAIT).untilAsserted(() -> asAdmin().get("/api/v1/decisions/{id}", event.getEventId())
                .then().statusCode(200));
        await().atMost(WAIT).until(() -> committedOffset(published) > published.offset());
    }

    @Test
    void events_polled_while_a_failing_batch_is_retried_are_all_stored_once_it_recovers() throws Exception {
        // vaults on each of the topic's three partitions (events are keyed by vault), so that a batch polled while
        // the one before it fails may hold partitions that one did not
        List<String> vaults = vaultsOnEveryPartition(3);
        double failuresBefore = storeFailures();
        List<String> ids = new ArrayList<>();
        Map<Integer, RecordMetadata> lastPerPartition = new java.util.HashMap<>();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("ALTER TABLE decision_event RENAME TO decision_event_away");
        }
        try {
            // Published one by one while the consumer polls, hands batches to the store thread, sees them fail
            // and reads them again: some are polled while the batch before them is failing.
            do {
                String vault = vaults.get(ids.size() % vaults.size());
                DecisionEvent event = Events.firewallDenial(vault, "198.51.100.40", Instant.now()).build();
                RecordMetadata published = publisher.decision(event);
                lastPerPartition.put(published.partition(), published);
                ids.add(event.getEventId());
            } while (storeFailures() < failuresBefore + 3 && ids.size() < 20_000);
            assertThat(storeFailures()).isGreaterThanOrEqualTo(failuresBefore + 3);
        } finally {
            try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
                sql.execute("ALTER TABLE decision_event_away RENAME TO decision_event");
            }
        }

        assertThat(lastPerPartition).hasSize(3);
        for (RecordMetadata last : lastPerPartition.values()) {
            await().atMost(WAIT).until(() -> committedOffset(last) > last.offset());
        }
        List<String> stored = new ArrayList<>();
        for (String vault : vaults) {
            stored.addAll(storedIds(vault));
        }
        assertThat(stored).containsExactlyInAnyOrderElementsOf(ids);
    }

    /** One new vault name per partition, by the producer's default partitioner (murmur2 of the key). */
    private static List<String> vaultsOnEveryPartition(int partitions) {
        Map<Integer, String> byPartition = new java.util.TreeMap<>();
        while (byPartition.size() < partitions) {
            String vault = newVault();
            byte[] key = vault.getBytes(StandardCharsets.UTF_8);
            byPartition.putIfAbsent(Utils.toPositive(Utils.murmur2(key)) % partitions, vault);
        }
        return List.copyOf(byPartition.values());
    }

    private List<String> storedIds(String vault) throws Exception {
        List<String> stored = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("SELECT event_id FROM decision_event WHERE vault = ?")) {
            select.setString(1, vault);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
        }
        return stored;
    }

    private double storeFailures() {
        return registry.find("moat.audit.store.failures").counter().count();
    }

    private static long committedOffset(RecordMetadata record) throws Exception {
        try (Admin admin = KafkaBrokerResource.broker().admin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("moat-audit").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(record.topic(), record.partition()));
            return committed == null ? 0 : committed.offset();
        }
    }

    @Test
    void the_dead_letter_count_is_exported_as_a_metric() {
        ManagementInterface.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("moat_audit_events_dead_lettered_total"))
                .body(org.hamcrest.Matchers.containsString("moat_audit_events_stored_total{kind=\"decision\""))
                .body(org.hamcrest.Matchers.containsString("moat_audit_consumer_lag"))
                .body(org.hamcrest.Matchers.containsString(
                        "moat_audit_events_delay_seconds_bucket{kind=\"decision\",le=\"1.0\"}"));
    }

    @Test
    void readiness_is_up_with_the_database_and_the_broker_reachable() {
        await().atMost(WAIT).untilAsserted(() -> ManagementInterface.given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka event consumer' }.data.broker", equalTo("reachable")));
        ManagementInterface.given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'Kafka event consumer' }.data.consumer", equalTo("running"))
                .body("checks.name", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("Database")));
        ManagementInterface.given().get("/q/health/live").then().statusCode(200);
    }

    /** Reads the dead-letter topic from the start until a record keyed by {@code vault} appears. */
    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(String vault) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(AuditKafkaResource.DEAD_LETTERS));
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.key() != null && vault.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        found.add(record);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
