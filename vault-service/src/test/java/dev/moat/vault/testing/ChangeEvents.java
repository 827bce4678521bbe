package dev.moat.vault.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.testing.kafka.KafkaBrokerResource;

/** Reads the change events the service relays to the real test broker ({@code moat.changes.v1}). */
public final class ChangeEvents {

    private static final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    private static Thread poller;

    private ChangeEvents() {
    }

    public static synchronized void start() {
        if (poller != null) {
            return;
        }
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "vault-service-changes-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("moat.changes.v1"));
        poller = new Thread(() -> {
            try (consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        try {
                            events.add(ChangeEvent.parseFrom(record.value()));
                        } catch (InvalidProtocolBufferException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                // the JVM is ending
            }
        }, "change-events");
        poller.setDaemon(true);
        poller.start();
    }

    /** The change events of a vault received so far, in order. */
    public static List<ChangeEvent> of(String vault) {
        start();
        return events.stream().filter(e -> e.getVault().equals(vault)).toList();
    }
}
