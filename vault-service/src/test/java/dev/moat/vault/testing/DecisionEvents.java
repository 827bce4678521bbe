package dev.moat.vault.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.testing.kafka.KafkaBrokerResource;

/** Reads the decision events the service publishes to the real test broker, so that tests can find theirs by id. */
public final class DecisionEvents {

    private static final Map<String, DecisionEvent> events = new ConcurrentHashMap<>();
    /** Every record received, duplicates included (delivery is at least once). */
    private static final List<DecisionEvent> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static Thread poller;

    private DecisionEvents() {
    }

    /** Starts consuming once per JVM (the broker outlives the test classes). */
    public static synchronized void start() {
        if (poller != null) {
            return;
        }
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "vault-service-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("moat.decisions.v1"));
        poller = new Thread(() -> {
            try (consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        DecisionEvent event = parse(record.value());
                        events.put(event.getEventId(), event);
                        received.add(event);
                    }
                }
            } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                // the JVM is ending
            }
        }, "decision-events");
        poller.setDaemon(true);
        poller.start();
    }

    public static DecisionEvent await(String id) {
        start();
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> Optional.ofNullable(events.get(id)), Optional::isPresent).orElseThrow();
    }

    /** The distinct events (by event id) received so far whose correlation id is the given one. */
    public static List<DecisionEvent> withCorrelationId(String correlationId) {
        start();
        return received.stream().filter(e -> e.getCorrelationId().equals(correlationId))
                .collect(java.util.stream.Collectors.toMap(DecisionEvent::getEventId, e -> e, (a, b) -> a,
                        java.util.LinkedHashMap::new))
                .values().stream().toList();
    }

    private static DecisionEvent parse(byte[] bytes) {
        try {
            return DecisionEvent.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
