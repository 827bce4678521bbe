package dev.moat.audit.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;

import dev.moat.audit.config.AuditConfig;

/**
 * Sends records that cannot be stored to the dead-letter topic, unchanged (key, value and headers), with where
 * they came from and why in {@code moat_dlq_*} headers, so that they can be inspected and replayed. Sends are
 * synchronous: the consumer commits the record's offset only once the dead-letter topic has it.
 */
@ApplicationScoped
public class DeadLetters {

    static final String REASON = "moat_dlq_reason";
    static final String TOPIC = "moat_dlq_topic";
    static final String PARTITION = "moat_dlq_partition";
    static final String OFFSET = "moat_dlq_offset";
    static final String TIME = "moat_dlq_time";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final int HEX_PREFIX_BYTES = 16;

    private final AuditConfig config;
    private final Map<String, Object> kafka;
    private final IngestMetrics metrics;
    private KafkaProducer<byte[], byte[]> producer;

    @Inject
    DeadLetters(AuditConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka, IngestMetrics metrics) {
        this.config = config;
        this.kafka = kafka;
        this.metrics = metrics;
    }

    /** Sends the record and waits for the broker's acknowledgement. */
    void send(ConsumerRecord<byte[], byte[]> record, String reason)
            throws InterruptedException, ExecutionException, TimeoutException {
        LOG.warnf("Dead-lettering %s-%d@%d (%s, %d bytes, starting %s): %s", record.topic(), record.partition(),
                record.offset(), record.key() == null ? "no key" : "key " + text(record.key()),
                record.value() == null ? 0 : record.value().length, hexPrefix(record.value()), reason);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON, bytes(reason));
        headers.add(TOPIC, bytes(record.topic()));
        headers.add(PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(OFFSET, bytes(Long.toString(record.offset())));
        headers.add(TIME, bytes(Instant.now().toString()));
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>(config.consumer().deadLetterTopic(), null,
                record.key(), record.value(), headers);
        producer().send(deadLetter).get(config.consumer().deadLetterTimeout().toMillis(), TimeUnit.MILLISECONDS);
        metrics.deadLettered();
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> properties = new HashMap<>(kafka);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            properties.put(ProducerConfig.CLIENT_ID_CONFIG, "moat-audit-dlq");
            // A missing topic or an absent broker must not block the consumer longer than the send timeout.
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.consumer().deadLetterTimeout().toMillis());
            producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    /** The first bytes of a payload in hex: enough to recognise its kind, never its content. */
    static String hexPrefix(byte[] value) {
        if (value == null || value.length == 0) {
            return "(empty)";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(HEX_PREFIX_BYTES, value.length); i++) {
            hex.append(String.format("%02x", value[i]));
        }
        return value.length > HEX_PREFIX_BYTES ? hex + "..." : hex.toString();
    }

    /** Keys are vault names: short and not secret, but shown only when they look like one. */
    private static String text(byte[] key) {
        String name = new String(key, StandardCharsets.UTF_8);
        return name.length() <= 128 && name.matches("[A-Za-z0-9-]*") ? name : hexPrefix(key);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
