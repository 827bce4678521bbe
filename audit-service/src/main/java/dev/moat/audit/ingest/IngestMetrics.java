package dev.moat.audit.ingest;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the consumer did, for Prometheus at {@code /q/metrics}: events stored per kind (their rate is the ingest
 * rate), duplicates skipped, records sent to the dead-letter topic, failed store attempts, and the consumer lag.
 */
@ApplicationScoped
public class IngestMetrics {

    private final Counter decisionsStored;
    private final Counter changesStored;
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Counter storeFailures;
    private final AtomicLong lag = new AtomicLong();

    @Inject
    IngestMetrics(MeterRegistry registry) {
        decisionsStored = Counter.builder("moat.audit.events.stored").tag("kind", "decision")
                .description("Events stored for the first time").register(registry);
        changesStored = Counter.builder("moat.audit.events.stored").tag("kind", "change")
                .description("Events stored for the first time").register(registry);
        duplicates = Counter.builder("moat.audit.events.duplicates")
                .description("Redelivered events that were already stored and were skipped").register(registry);
        deadLettered = Counter.builder("moat.audit.events.dead.lettered")
                .description("Records that could not be stored and went to the dead-letter topic").register(registry);
        storeFailures = Counter.builder("moat.audit.store.failures")
                .description("Batches whose store failed and will be retried").register(registry);
        Gauge.builder("moat.audit.consumer.lag", lag, AtomicLong::get)
                .description("Records on the event topics not yet read, over the partitions this instance owns")
                .register(registry);
    }

    void stored(int decisions, int changes, int duplicateCount) {
        decisionsStored.increment(decisions);
        changesStored.increment(changes);
        duplicates.increment(duplicateCount);
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void storeFailed() {
        storeFailures.increment();
    }

    void lag(long records) {
        lag.set(records);
    }
}
