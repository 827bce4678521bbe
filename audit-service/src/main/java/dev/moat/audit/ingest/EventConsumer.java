package dev.moat.audit.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

import dev.moat.audit.config.AuditConfig;

/**
 * The one Kafka consumer of audit-service, on its own thread: reads both event topics as one member of the
 * {@code moat-audit} group and stores each batch exactly once.
 *
 * <p>The order is what makes a crash at any point harmless: (1) store the batch in one database transaction
 * (events already there are skipped), (2) send records that cannot be stored to the dead-letter topic and wait
 * for its acknowledgement, (3) only then commit the offsets. A crash before (3) redelivers the batch, which (1)
 * then finds stored. When the store fails (database down), the batch is read again after a growing pause.
 *
 * <p>Steps (1) and (2) run on a second thread, {@code audit-store}, while this one polls and decodes the next
 * batch, so that the database and the decoding work at the same time. One batch at most is being stored; the
 * next one is handed over only after the one before is settled: its offsets committed, or, when it failed, the
 * consumer positioned back at its start (and at the start of the batch polled meanwhile).
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final AuditConfig.Consumer config;
    private final Map<String, Object> kafka;
    private final BatchStore batches;
    private final IngestMetrics metrics;
    private final EventDecoder decoder;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private volatile Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile ConsumerState state = ConsumerState.starting();
    /** Offsets of stored batches whose commit may still be on its way; touched by the consumer thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> stored = new HashMap<>();
    /**
     * Stores one batch while the consumer thread polls and decodes the next: the database and the decoding
     * overlap instead of taking turns. At most one batch is on it ({@link #inFlight}, consumer thread only).
     */
    private ExecutorService storer;
    private InFlight inFlight;
    /** Store failures in a row, for the pause before the batch is read again; consumer thread only. */
    private int storeFailures;

    @Inject
    EventConsumer(AuditConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            BatchStore batches, IngestMetrics metrics) {
        this.config = config.consumer();
        this.kafka = kafka;
        this.batches = batches;
        this.metrics = metrics;
        this.decoder = new EventDecoder(this.config.decisionsTopic(), this.config.changesTopic());
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            state = ConsumerState.disabled();
            return;
        }
        storer = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "audit-store"));
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
        if (storer != null) {
            storer.shutdown();
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
            storeFailures = 0;
            kafkaConsumer.subscribe(List.of(config.decisionsTopic(), config.changesTopic()),
                    new AssignmentListener(kafkaConsumer));
            state = ConsumerState.running(Set.of());
            while (!stopping()) {
                ConsumerRecords<byte[], byte[]> records = kafkaConsumer.poll(config.pollTimeout());
                state = ConsumerState.running(kafkaConsumer.assignment());
                metrics.lag(lag(kafkaConsumer));
                if (records.isEmpty()) {
                    settle(kafkaConsumer, null);
                    continue;
                }
                // Decoded while the batch before is being stored; handed on only once that one is settled.
                List<BatchStore.Item> items = decode(records);
                if (settle(kafkaConsumer, records)) {
                    inFlight = new InFlight(records, storer.submit(() -> batches.store(items)));
                }
            }
            settle(kafkaConsumer, null);
            commitPending(kafkaConsumer);
        } finally {
            // Never leave a store running against a consumer (or a datasource) that is going away; its offsets
            // stay uncommitted, so the batch comes again and is found stored.
            if (inFlight != null) {
                try {
                    awaitStored(inFlight.stored());
                } catch (RuntimeException e) {
                    LOG.warnf("The last batch failed while the consumer closed; it will be read again: %s", e.toString());
                }
                inFlight = null;
            }
            consumer = null;
        }
    }

    private List<BatchStore.Item> decode(ConsumerRecords<byte[], byte[]> records) {
        List<BatchStore.Item> items = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            items.add(new BatchStore.Item(record, decoder.decode(record.topic(), header(record, "ce_type"), record.value())));
        }
        return items;
    }

    /**
     * Waits for the batch being stored, if any: commits its offsets when it was stored; when it was not, positions
     * the consumer back at its start (and at the start of {@code next}, polled meanwhile and not stored either),
     * and pauses before it is read again. Returns whether {@code next} may be stored now.
     */
    private boolean settle(KafkaConsumer<byte[], byte[]> kafkaConsumer, ConsumerRecords<byte[], byte[]> next) {
        ConsumerRecords<byte[], byte[]> failed = finishInFlight(kafkaConsumer);
        if (failed == null) {
            storeFailures = 0;
            return true;
        }
        storeFailures++;
        if (next != null) {
            rewind(kafkaConsumer, next);
        }
        // after next: where both hold a partition, reading resumes at the failed batch's earlier offset
        rewind(kafkaConsumer, failed);
        pause(backoff(storeFailures));
        return false;
    }

    /**
     * Waits for the batch on the store thread, if any, and commits its offsets when it was stored. Returns its
     * records when it failed (counted, not yet read again), null otherwise.
     */
    private ConsumerRecords<byte[], byte[]> finishInFlight(KafkaConsumer<byte[], byte[]> kafkaConsumer) {
        if (inFlight == null) {
            return null;
        }
        InFlight batch = inFlight;
        inFlight = null;
        if (awaitStored(batch.stored())) {
            commit(kafkaConsumer, batch.records());
            return null;
        }
        metrics.storeFailed();
        return batch.records();
    }

    /** The outcome of a batch handed to the store thread, waiting for it without giving up on an interrupt. */
    private static boolean awaitStored(Future<Boolean> stored) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return stored.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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

    /** A batch on the store thread: its records (for its offsets, or to read it again) and whether it was stored. */
    private record InFlight(ConsumerRecords<byte[], byte[]> records, Future<Boolean> stored) {
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
            // The batch on the store thread finishes first, so that its offsets are committed before the
            // partitions go to another instance; if it failed, that instance reads it again.
            ConsumerRecords<byte[], byte[]> failed = finishInFlight(kafkaConsumer);
            if (failed != null) {
                rewind(kafkaConsumer, failed);
            }
            commitPending(kafkaConsumer);
            LOG.infof("No longer reading %s", partitions);
        }
    }
}
