package dev.moat.vault.events;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.vault.config.VaultConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The decision events of the data plane: every event goes first to the durable {@link DecisionSpool} under
 * {@code ${moat.data-dir}/vault/spool/}, then a {@link SpoolSender} delivers it to Kafka and removes it once
 * acknowledged. Started with the service, so that events left from before a restart are delivered at once.
 *
 * <p>Metrics: {@code moat_vault_decision_spool_depth} (events waiting for Kafka), {@code moat_vault_decision_spool_capacity},
 * {@code moat_vault_decision_spool_writes_total} (write batches: events per write is the group commit's batch),
 * {@code moat_vault_decision_spool_own_writes_total} (those a lone request wrote on its own thread),
 * {@code moat_vault_decision_events_delivered_total}, {@code moat_vault_decision_events_dropped_total} and
 * {@code moat_vault_decision_events_rejected_total} (requests refused because the spool was full).
 */
@Singleton
@Startup
public class DecisionPublisher {

    private final DecisionSpool spool;
    private final SpoolSender sender;

    public DecisionPublisher(VaultConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "moat.data-dir") String dataDir, MeterRegistry metrics) {
        VaultConfig.Events.Spool settings = config.events().spool();
        this.spool = DecisionSpool.open(spoolDirectory(dataDir), new DecisionSpool.Settings(settings.capacity(),
                settings.whenFull(), settings.fsync(), settings.segmentSize().asLongValue(),
                config.events().maxBlock(), DecisionSpool.CHECKPOINT_INTERVAL, settings.commitDelay()));
        this.sender = new SpoolSender(spool, () -> producer(bootstrapServers, config.events().linger()),
                config.events().decisionsTopic(),
                "vault-service").start();
        Gauge.builder("moat.vault.decision.spool.depth", spool, DecisionSpool::depth)
                .description("Decision events stored and not yet acknowledged by Kafka").register(metrics);
        Gauge.builder("moat.vault.decision.spool.capacity", spool, DecisionSpool::capacity)
                .description("Decision events the spool holds at most").register(metrics);
        FunctionCounter.builder("moat.vault.decision.events.delivered", sender, SpoolSender::delivered)
                .description("Decision events Kafka acknowledged").register(metrics);
        FunctionCounter.builder("moat.vault.decision.spool.writes", spool, DecisionSpool::writes)
                .description("Write batches of the spool, each forced to disk with fsync=always").register(metrics);
        FunctionCounter.builder("moat.vault.decision.spool.own.writes", spool, DecisionSpool::ownWrites)
                .description("Write batches a lone request wrote on its own thread (a part of the writes)")
                .register(metrics);
        FunctionCounter.builder("moat.vault.decision.events.dropped", spool, DecisionSpool::dropped)
                .description("Decision events dropped because the spool was full (when-full=drop) or unwritable")
                .register(metrics);
        FunctionCounter.builder("moat.vault.decision.events.rejected", spool, DecisionSpool::rejected)
                .description("Data-plane requests refused with 503 because the spool was full (when-full=reject)")
                .register(metrics);
    }

    /** Where the spool lives: {@code ${moat.data-dir}/vault/spool/}. */
    public static Path spoolDirectory(String dataDir) {
        return Path.of(dataDir, "vault", "spool");
    }

    /**
     * Called before a data-plane request is served; null means the spool is full and configured to reject: the
     * request must be refused (503) before anything of it runs.
     */
    public DecisionSpool.Ticket admit() {
        return spool.admit();
    }

    /** Stores the event durably (waiting at most {@code moat.vault.events.max-block}); Kafka gets it afterwards. */
    public void publish(DecisionSpool.Ticket ticket, DecisionEvent event) {
        spool.append(ticket, event.toByteArray());
    }

    public DecisionSpool spool() {
        return spool;
    }

    public boolean kafkaReachable() {
        return sender.kafkaReachable();
    }

    private static Producer<String, byte[]> producer(String bootstrapServers, Duration linger) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vault-service-decisions");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @PreDestroy
    void close() {
        sender.close();
        spool.close();
    }
}
