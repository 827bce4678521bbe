package dev.moat.vault.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.vault.config.VaultConfig;

/**
 * Publishes one {@link DecisionEvent} per data-plane request to Kafka, keyed by vault, with CloudEvents-style headers.
 * Sending is asynchronous and bounded by {@code moat.vault.events.max-block}, so a slow or absent broker never holds
 * a request for longer than that.
 */
@ApplicationScoped
public class DecisionPublisher {

    private static final Logger LOG = Logger.getLogger(DecisionPublisher.class);
    static final String CE_TYPE = "dev.moat.events.v1.DecisionEvent";

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String source;
    private final AtomicLong failures = new AtomicLong();

    public DecisionPublisher(VaultConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.events().maxBlock().toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vault-service-decisions");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = config.events().decisionsTopic();
        this.source = "vault-service";
    }

    public void publish(DecisionEvent event) {
        var record = new ProducerRecord<String, byte[]>(topic, event.getVault(), event.toByteArray());
        record.headers()
                .add(header("ce_specversion", "1.0"))
                .add(header("ce_id", event.getEventId()))
                .add(header("ce_type", CE_TYPE))
                .add(header("ce_source", source))
                .add(header("ce_time", Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos()).toString()));
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                    LOG.warnf("decision event %s for vault %s not delivered: %s", event.getEventId(), event.getVault(),
                            error.toString());
                }
            });
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.warnf("decision event %s for vault %s not sent: %s", event.getEventId(), event.getVault(), e.toString());
        }
    }

    /** Events that could not be handed to Kafka since start. */
    public long failures() {
        return failures.get();
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }

    private static RecordHeader header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
