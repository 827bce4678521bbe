package dev.moat.vault.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jboss.logging.Logger;

import dev.moat.proto.events.v1.DecisionEvent;

/**
 * Sends the spool's events to Kafka, oldest first, keyed by vault with CloudEvents-style headers, and acknowledges
 * them to the spool only once the broker acknowledged them (idempotent producer, {@code acks=all}). On any failure
 * the producer is closed, the spool rewound to what was acknowledged, and the batch tried again with a fresh producer
 * after a growing pause (100 ms to 5 s): nothing is skipped, some events may be sent twice.
 */
public final class SpoolSender implements AutoCloseable {

    static final String CE_TYPE = "dev.moat.events.v1.DecisionEvent";
    private static final Logger LOG = Logger.getLogger(SpoolSender.class);
    private static final int BATCH = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final DecisionSpool spool;
    private final Supplier<Producer<String, byte[]>> producers;
    private final String topic;
    private final String source;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean stopped;
    private volatile boolean kafkaReachable = true;
    private Producer<String, byte[]> producer;

    /**
     * @param producers makes a producer; called again after a failure, so that a broker that went away and came back
     *        is met by a client with no state from before
     */
    public SpoolSender(DecisionSpool spool, Supplier<Producer<String, byte[]>> producers, String topic, String source) {
        this.spool = spool;
        this.producers = producers;
        this.topic = topic;
        this.source = source;
        this.thread = new Thread(this::run, "decision-spool-sender");
        this.thread.setDaemon(true);
    }

    public SpoolSender start() {
        thread.start();
        return this;
    }

    /** Events Kafka acknowledged since start. */
    public long delivered() {
        return delivered.get();
    }

    /** False while the last attempt to send failed. */
    public boolean kafkaReachable() {
        return kafkaReachable;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (!stopped) {
            List<DecisionSpool.Entry> batch;
            try {
                batch = spool.read(BATCH, Duration.ofMillis(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                LOG.errorf("reading the decision event spool failed, will retry: %s", e.toString());
                pause(backoff);
                continue;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                send(batch);
                spool.acknowledge(batch);
                delivered.addAndGet(batch.size());
                if (!kafkaReachable) {
                    LOG.infof("Kafka takes decision events again; %d still wait in the spool", spool.depth());
                }
                kafkaReachable = true;
                backoff = Duration.ofMillis(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (stopped) {
                    break;
                }
                if (kafkaReachable) {
                    LOG.warnf("Kafka does not take decision events (%s): they wait in the spool (%d now) and are "
                            + "sent when it does", e.toString(), spool.depth());
                }
                kafkaReachable = false;
                closeProducer();
                spool.rewind();
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        closeProducer();
    }

    private void send(List<DecisionSpool.Entry> batch) throws Exception {
        if (producer == null) {
            producer = producers.get();
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (DecisionSpool.Entry entry : batch) {
            Future<RecordMetadata> ack = producer.send(record(DecisionEvent.parseFrom(entry.payload()),
                    entry.payload()));
            if (ack.isDone()) {
                ack.get(); // failed already (no broker answered within max.block.ms): give up the batch at once
            }
            acks.add(ack);
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
    }

    private ProducerRecord<String, byte[]> record(DecisionEvent event, byte[] payload) {
        var record = new ProducerRecord<String, byte[]>(topic, event.getVault(), payload);
        record.headers()
                .add(header("ce_specversion", "1.0"))
                .add(header("ce_id", event.getEventId()))
                .add(header("ce_type", CE_TYPE))
                .add(header("ce_source", source))
                .add(header("ce_time",
                        Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos()).toString()));
        return record;
    }

    private static RecordHeader header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("closing the decision event producer: %s", e.toString());
            }
            producer = null;
        }
    }

    /** Stops sending; what is not acknowledged stays in the spool for the next start. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
