package dev.moat.audit.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.testing.kafka.KafkaBrokerResource;

/** Publishes to the test broker the way Moat's services do: keyed by vault, CloudEvents headers, acknowledged. */
public final class Publisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.broker().bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());

    public RecordMetadata decision(DecisionEvent event) {
        return send(AuditKafkaResource.DECISIONS, event.getVault(), event.toByteArray(),
                headers(event.getEventId(), "dev.moat.events.v1.DecisionEvent"));
    }

    public void change(ChangeEvent event) {
        send(AuditKafkaResource.CHANGES, event.getVault(), event.toByteArray(),
                headers(event.getEventId(), "dev.moat.events.v1.ChangeEvent"));
    }

    /** Sends anything, for poison records. */
    public RecordMetadata send(String topic, String key, byte[] value, RecordHeaders headers) {
        try {
            return producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    public static RecordHeaders headers(String id, String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "vault-service".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_time", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    @Override
    public void close() {
        producer.close();
    }
}
