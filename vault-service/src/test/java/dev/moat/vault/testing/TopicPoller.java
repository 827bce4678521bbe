package dev.moat.vault.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.moat.testing.kafka.KafkaBrokerResource;

/**
 * Reads a topic of the real test broker from its start, on a daemon thread, for the rest of the JVM (the broker
 * outlives the test classes), handing each event to a sink in order.
 */
final class TopicPoller {

    /** {@code parseFrom} of a protobuf message. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    private TopicPoller() {
    }

    static <T> Thread start(String topic, String threadName, Parser<T> parser, Consumer<T> sink) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "vault-service-" + threadName + "-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        Thread poller = new Thread(() -> {
            try (consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        try {
                            sink.accept(parser.parse(record.value()));
                        } catch (InvalidProtocolBufferException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            } catch (WakeupException | InterruptException e) {
                // the JVM is ending
            }
        }, threadName);
        poller.setDaemon(true);
        poller.start();
        return poller;
    }
}
