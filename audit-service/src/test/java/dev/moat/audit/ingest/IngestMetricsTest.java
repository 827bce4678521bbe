package dev.moat.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** How long events took to become queryable, per kind, with the 1 s bucket exact. */
class IngestMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IngestMetrics metrics = new IngestMetrics(registry);
    private final Instant committed = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void each_event_counts_its_time_to_the_commit_under_its_kind() {
        metrics.queryable(List.of(committed.minusMillis(250), committed.minusSeconds(7200)),
                List.of(committed.minusSeconds(3)), committed);

        Timer decisions = delay("decision");
        assertThat(decisions.count()).isEqualTo(2);
        assertThat(decisions.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(7_200_250, within(1.0));
        assertThat(withinOneSecond(decisions)).isEqualTo(1);
        Timer changes = delay("change");
        assertThat(changes.count()).isEqualTo(1);
        assertThat(withinOneSecond(changes)).isZero();
    }

    @Test
    void an_event_time_after_the_commit_counts_as_zero() {
        metrics.queryable(List.of(committed.plus(Duration.ofSeconds(2))), List.of(), committed);

        Timer decisions = delay("decision");
        assertThat(decisions.count()).isEqualTo(1);
        assertThat(decisions.totalTime(TimeUnit.NANOSECONDS)).isZero();
        assertThat(withinOneSecond(decisions)).isEqualTo(1);
    }

    private Timer delay(String kind) {
        return registry.get("moat.audit.events.delay").tag("kind", kind).timer();
    }

    private static double withinOneSecond(Timer timer) {
        return Arrays.stream(timer.takeSnapshot().histogramCounts())
                .filter(bucket -> bucket.bucket(TimeUnit.SECONDS) == 1.0).findFirst().orElseThrow().count();
    }
}
