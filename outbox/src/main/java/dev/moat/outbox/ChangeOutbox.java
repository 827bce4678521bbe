package dev.moat.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.moat.proto.events.v1.ChangeEvent;

/**
 * A transactional outbox for {@link ChangeEvent}s. A service writes each event with {@link #enqueue} in the same
 * database transaction as the change it describes; the relay sends the rows to Kafka oldest first and deletes each
 * only after the broker acknowledged it. So no committed change goes unannounced while Kafka is slow or down, and
 * an admin call never waits for Kafka. Delivery is at least once; audit-service keeps each event once by its id.
 *
 * <p>The table (created by each service's own Flyway migration):
 * {@code change_outbox(event_id VARCHAR(36) PRIMARY KEY, seq BIGINT, vault VARCHAR(500), payload VARCHAR(1000000))}
 * with an index on {@code seq}; the payload is the serialized event, base64.
 */
public final class ChangeOutbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChangeOutbox.class);
    private static final String CE_TYPE = "dev.moat.events.v1.ChangeEvent";
    private static final int BATCH = 100;

    private final DataSource dataSource;
    private final String topic;
    private final String source;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService executor;

    /**
     * Starts relaying.
     *
     * @param source the service name, the events' {@code ce_source}
     * @param maxBlock longest wait for the producer's buffer
     * @param pollInterval how often the outbox is looked at
     */
    public ChangeOutbox(DataSource dataSource, String bootstrapServers, String topic, String source, Duration maxBlock,
            Duration pollInterval) {
        this.dataSource = dataSource;
        this.topic = topic;
        this.source = source;
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, source + "-changes");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, source + "-change-outbox"));
        executor.scheduleWithFixedDelay(this::relaySafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes a change to the outbox inside the caller's transaction. */
    public static void enqueue(Connection connection, ChangeEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO change_outbox (event_id, seq, vault, payload) "
                        + "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_outbox), ?, ?)")) {
            insert.setString(1, event.getEventId());
            insert.setString(2, key(event));
            insert.setString(3, Base64.getEncoder().encodeToString(event.toByteArray()));
            insert.executeUpdate();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        producer.close(Duration.ofSeconds(5));
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
                batch.add(decode(rows.getString(1)));
            }
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
        var record = new ProducerRecord<String, byte[]>(topic, key(event), event.toByteArray());
        Instant time = Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos());
        record.headers()
                .add(header("ce_specversion", "1.0"))
                .add(header("ce_id", event.getEventId()))
                .add(header("ce_type", CE_TYPE))
                .add(header("ce_source", source))
                .add(header("ce_time", time.toString()));
        return record;
    }

    /** Keyed by vault, or by the resource for changes that concern no single vault (virtual networks). */
    private static String key(ChangeEvent event) {
        return event.getVault().isEmpty() ? event.getResourceId() : event.getVault();
    }

    private static ChangeEvent decode(String payload) {
        try {
            return ChangeEvent.parseFrom(Base64.getDecoder().decode(payload));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new IllegalStateException("unreadable change event in the outbox", e);
        }
    }

    private static RecordHeader header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
