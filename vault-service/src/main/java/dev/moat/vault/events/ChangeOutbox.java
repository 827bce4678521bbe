package dev.moat.vault.events;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.vault.config.VaultConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The management plane's {@link ChangeEvent}s: written to an outbox table in the same transaction as the vault
 * change ({@link #enqueue}), then relayed to Kafka oldest first, each row deleted only after the broker acknowledged
 * it. So no change event is lost while Kafka is slow or down; delivery is at least once and audit-service keeps each
 * event once by its id. Same design as policy-service's relay.
 */
@ApplicationScoped
public class ChangeOutbox {

    private static final Logger LOG = Logger.getLogger(ChangeOutbox.class);
    static final String CE_TYPE = "dev.moat.events.v1.ChangeEvent";
    private static final int BATCH = 100;

    private final AgroalDataSource dataSource;
    private final VaultConfig config;
    private final String bootstrapServers;
    private KafkaProducer<String, byte[]> producer;
    private ScheduledExecutorService executor;

    public ChangeOutbox(AgroalDataSource dataSource, VaultConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.dataSource = dataSource;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.events().maxBlock().toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vault-service-changes");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "change-outbox-relay"));
        executor.scheduleWithFixedDelay(this::relaySafely, 0, config.events().outboxPollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
        producer.close(java.time.Duration.ofSeconds(5));
    }

    /** Writes a change to the outbox inside the caller's transaction. */
    public static void enqueue(Connection connection, ChangeEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO change_outbox (event_id, seq, vault, payload) "
                        + "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_outbox), ?, ?)")) {
            insert.setString(1, event.getEventId());
            insert.setString(2, event.getVault().isEmpty() ? event.getResourceId() : event.getVault());
            insert.setString(3, Base64.getEncoder().encodeToString(event.toByteArray()));
            insert.executeUpdate();
        }
    }

    private void relaySafely() {
        try {
            while (relayBatch() == BATCH) {
                // keep draining while full batches come back
            }
        } catch (Exception e) {
            LOG.warnf("change events not relayed yet, will retry: %s", e.toString());
        }
    }

    private int relayBatch() throws Exception {
        List<ChangeEvent> batch = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT payload FROM change_outbox ORDER BY seq FETCH FIRST " + BATCH + " ROWS ONLY");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                batch.add(ChangeEvent.parseFrom(Base64.getDecoder().decode(rows.getString(1))));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable change event in the outbox", e);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ChangeEvent event : batch) {
            sent.add(producer.send(record(event)));
        }
        for (Future<RecordMetadata> ack : sent) {
            ack.get(60, TimeUnit.SECONDS);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM change_outbox WHERE event_id = ?")) {
            for (ChangeEvent event : batch) {
                delete.setString(1, event.getEventId());
                delete.addBatch();
            }
            delete.executeBatch();
        }
        return batch.size();
    }

    private ProducerRecord<String, byte[]> record(ChangeEvent event) {
        String key = event.getVault().isEmpty() ? event.getResourceId() : event.getVault();
        var record = new ProducerRecord<String, byte[]>(config.events().changesTopic(), key, event.toByteArray());
        Instant time = Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos());
        record.headers()
                .add(header("ce_specversion", "1.0"))
                .add(header("ce_id", event.getEventId()))
                .add(header("ce_type", CE_TYPE))
                .add(header("ce_source", "vault-service"))
                .add(header("ce_time", time.toString()));
        return record;
    }

    private static RecordHeader header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
