package dev.moat.audit.ingest;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

import dev.moat.audit.change.Change;
import dev.moat.audit.config.AuditConfig;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.store.EventStore;
import dev.moat.audit.store.EventStore.StoreResult;

/**
 * The one Kafka consumer of audit-service, on its own thread: reads both event topics as one member of the
 * {@code moat-audit} group and stores each batch exactly once.
 *
 * <p>The order is what makes a crash at any point harmless: (1) store the batch in one database transaction
 * (events already there are skipped), (2) send records that cannot be stored to the dead-letter topic and wait
 * for its acknowledgement, (3) only then commit the offsets. A crash before (3) redelivers the batch, which (1)
 * then finds stored. When the store fails (database down), the batch is read again after a growing pause.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final AuditConfig.Consumer config;
    private final Map<String, Object> kafka;
    private final EventStore store;
    private final DeadLetters deadLetters;
    private final IngestMetrics metrics;
    private final EventDecoder decoder;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private volatile Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile ConsumerState state = ConsumerState.starting();
    /** Offsets of stored batches whose commit may still be on its way; touched by the consumer thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> stored = new HashMap<>();

    @Inject
    EventConsumer(AuditConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            EventStore store, DeadLetters deadLetters, IngestMetrics metrics) {
        this.config = config.consumer();
        this.kafka = kafka;
        this.store = store;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.decoder = new EventDecoder(this.config.decisionsTopic(), this.config.changesTopic());
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            state = ConsumerState.disabled();
            return;
        }
        thread = new Thread(this::run, "audit-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopRequested.countDown();
        KafkaConsumer<byte[], byte[]> running = consumer;
        if (running != null) {
            running.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** What readiness reports about the consumer. */
    public ConsumerState state() {
        return state;
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    /** Keeps a consumer running until shutdown, recreating it after an unexpected failure. */
    private void run() {
        int failures = 0;
        while (!stopping()) {
            try {
                consume();
            } catch (WakeupException e) {
                // shutdown
            } catch (RuntimeException e) {
                // Whatever broke (broker authorization, a closed pool), keep trying: events wait in Kafka meanwhile.
                failures++;
                state = ConsumerState.failed(e.toString());
                LOG.errorf(e, "Event consumer failed; starting a new one");
                pause(backoff(failures));
            }
        }
        state = ConsumerState.stopped();
    }

    private void consume() {
        try (KafkaConsumer<byte[], byte[]> kafkaConsumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafkaConsumer;
            if (stopping()) {
                return;
            }
            stored.clear();
            kafkaConsumer.subscribe(List.of(config.decisionsTopic(), config.changesTopic()),
                    new AssignmentListener(kafkaConsumer));
            state = ConsumerState.running(Set.of());
            int failures = 0;
            while (!stopping()) {
                ConsumerRecords<byte[], byte[]> records = kafkaConsumer.poll(config.pollTimeout());
                state = ConsumerState.running(kafkaConsumer.assignment());
                metrics.lag(lag(kafkaConsumer));
                if (records.isEmpty()) {
                    continue;
                }
                if (handle(records)) {
                    failures = 0;
                    commit(kafkaConsumer, records);
                } else {
                    failures++;
                    metrics.storeFailed();
                    rewind(kafkaConsumer, records);
                    pause(backoff(failures));
                }
            }
            commitPending(kafkaConsumer);
        } finally {
            consumer = null;
        }
    }

    /** Stores the batch and dead-letters what cannot be stored; false when the batch must be read again. */
    private boolean handle(ConsumerRecords<byte[], byte[]> records) {
        List<Item> items = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            items.add(new Item(record, decoder.decode(record.topic(), header(record, "ce_type"), record.value())));
        }
        try {
            items = storeAll(items);
        } catch (SQLException e) {
            LOG.warnf("Storing %d events failed (SQLState %s, code %d); will retry: %s", items.size(),
                    e.getSQLState(), e.getErrorCode(), e.getMessage());
            return false;
        }
        try {
            for (Item item : items) {
                if (item.decoded() instanceof Decoded.Poison poison) {
                    deadLetters.send(item.record(), poison.reason());
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Dead-letter topic %s did not take a record; will retry: %s", config.deadLetterTopic(), e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /**
     * Stores every decoded event of the batch in one transaction. When the database refuses the data itself
     * (not a connection problem), each event is stored on its own instead, so that only the refused ones become
     * poison. Returns the items, with the refused ones now poison.
     */
    private List<Item> storeAll(List<Item> items) throws SQLException {
        try {
            record(store.store(decisions(items), changes(items)));
            return items;
        } catch (SQLException e) {
            if (!SqlErrors.isRefusedData(e)) {
                throw e;
            }
        }
        List<Item> checked = new ArrayList<>(items.size());
        for (Item item : items) {
            if (item.decoded() instanceof Decoded.Poison) {
                checked.add(item);
                continue;
            }
            try {
                record(store.store(decisions(List.of(item)), changes(List.of(item))));
                checked.add(item);
            } catch (SQLException e) {
                if (!SqlErrors.isRefusedData(e)) {
                    throw e;
                }
                checked.add(new Item(item.record(), new Decoded.Poison(
                        "the database refused the event (SQLState " + e.getSQLState() + ")")));
            }
        }
        return checked;
    }

    private void record(StoreResult result) {
        metrics.stored(result.decisionsStored(), result.changesStored(), result.duplicates());
    }

    private static List<Decision> decisions(List<Item> items) {
        return items.stream().map(Item::decoded).filter(Decoded.DecisionRecord.class::isInstance)
                .map(d -> ((Decoded.DecisionRecord) d).decision()).toList();
    }

    private static List<Change> changes(List<Item> items) {
        return items.stream().map(Item::decoded).filter(Decoded.ChangeRecord.class::isInstance)
                .map(d -> ((Decoded.ChangeRecord) d).change()).toList();
    }

    /**
     * Commits the batch's offsets without waiting for the broker's answer: the events are stored already, so a
     * commit that fails or is lost in a crash only makes the batch come again, and its events are skipped as
     * duplicates. Commits are sent in order; a later one covers an earlier one that failed. Before partitions go
     * to another instance (and on close), {@link #commitPending} waits for what is outstanding.
     */
    private void commit(KafkaConsumer<byte[], byte[]> kafkaConsumer, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> batch = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
        }
        stored.putAll(offsets);
        kafkaConsumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.warnf("Committing offsets failed, the batch will be redelivered and skipped: %s", error.toString());
            }
        });
    }

    /** Commits, and waits for, the offsets of every stored batch: before a rebalance and before closing. */
    private void commitPending(KafkaConsumer<byte[], byte[]> kafkaConsumer) {
        if (stored.isEmpty()) {
            return;
        }
        try {
            kafkaConsumer.commitSync(Map.copyOf(stored));
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warnf("Committing offsets failed, the last batches will be redelivered and skipped: %s", e.toString());
        } finally {
            stored.clear();
        }
    }

    /** Positions the consumer back at the start of the batch, so that the next poll returns it again. */
    private static void rewind(KafkaConsumer<byte[], byte[]> kafkaConsumer, ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            if (kafkaConsumer.assignment().contains(partition)) {
                kafkaConsumer.seek(partition, records.records(partition).get(0).offset());
            }
        }
    }

    private static long lag(KafkaConsumer<byte[], byte[]> kafkaConsumer) {
        long total = 0;
        for (TopicPartition partition : kafkaConsumer.assignment()) {
            total += kafkaConsumer.currentLag(partition).orElse(0);
        }
        return total;
    }

    private Duration backoff(int failures) {
        long first = config.retryBackoff().toMillis();
        long doubled = first << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(doubled, config.maxRetryBackoff().toMillis()));
    }

    /** Waits, but returns at once on shutdown. */
    private void pause(Duration duration) {
        try {
            stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new HashMap<>(kafka);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, config.fetchMinBytes());
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) config.fetchMaxWait().toMillis());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "moat-audit");
        return properties;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private record Item(ConsumerRecord<byte[], byte[]> record, Decoded decoded) {
    }

    private final class AssignmentListener implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> kafkaConsumer;

        AssignmentListener(KafkaConsumer<byte[], byte[]> kafkaConsumer) {
            this.kafkaConsumer = kafkaConsumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.infof("Reading %s", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Every batch is stored before the next poll; what may be outstanding is its offset commit.
            commitPending(kafkaConsumer);
            LOG.infof("No longer reading %s", partitions);
        }
    }
}
