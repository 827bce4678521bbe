package dev.moat.audit.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the consumer did, for Prometheus at {@code /q/metrics}: events stored per kind (their rate is the ingest
 * rate), duplicates skipped, records sent to the dead-letter topic, failed store attempts, the consumer lag, and how
 * long events took to become queryable.
 */
@ApplicationScoped
public class IngestMetrics {

    private final Counter decisionsStored;
    private final Counter changesStored;
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Counter storeFailures;
    private final Timer decisionDelay;
    private final Timer changeDelay;
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
        decisionDelay = delay(registry, "decision");
        changeDelay = delay(registry, "change");
        Gauge.builder("moat.audit.consumer.lag", lag, AtomicLong::get)
                .description("Records on the event topics not yet read, over the partitions this instance owns")
                .register(registry);
    }

    void stored(int decisions, int changes, int duplicateCount) {
        decisionsStored.increment(decisions);
        changesStored.increment(changes);
        duplicates.increment(duplicateCount);
    }

    /**
     * The time from each event's own time (set where it was decided or made) to {@code committedAt}, the commit that
     * made it queryable. Across hosts it includes their clocks' difference; a negative one counts as zero. An event
     * redelivered after its batch was stored (a crash before the offset commit) counts again, with its longer delay.
     */
    void queryable(List<Instant> decisionTimes, List<Instant> changeTimes, Instant committedAt) {
        record(decisionDelay, decisionTimes, committedAt);
        record(changeDelay, changeTimes, committedAt);
    }

    private static void record(Timer timer, List<Instant> times, Instant committedAt) {
        for (Instant time : times) {
            Duration delay = Duration.between(time, committedAt);
            timer.record(delay.isNegative() ? Duration.ZERO : delay);
        }
    }

    /**
     * {@code moat_audit_events_delay_seconds}: a histogram (for {@code histogram_quantile}) with a bucket at 1 s, so
     * that the share of events queryable within a second is exact.
     */
    private static Timer delay(MeterRegistry registry, String kind) {
        return Timer.builder("moat.audit.events.delay").tag("kind", kind)
                .description("From an event's own time to the commit that made it queryable")
                .publishPercentileHistogram().serviceLevelObjectives(Duration.ofSeconds(1))
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
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
