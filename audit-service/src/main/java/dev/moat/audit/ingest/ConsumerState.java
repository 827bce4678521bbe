package dev.moat.audit.ingest;

import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * The consumer as readiness sees it.
 *
 * @param healthy    false when the consumer failed and is being recreated
 * @param assignment the partitions this instance reads now (none between rebalances or when others own them all)
 * @param problem    what went wrong, when not healthy
 */
public record ConsumerState(String phase, boolean healthy, Set<TopicPartition> assignment, String problem) {

    static ConsumerState starting() {
        return new ConsumerState("starting", true, Set.of(), null);
    }

    static ConsumerState running(Set<TopicPartition> assignment) {
        return new ConsumerState("running", true, Set.copyOf(assignment), null);
    }

    static ConsumerState failed(String problem) {
        return new ConsumerState("failed", false, Set.of(), problem);
    }

    static ConsumerState disabled() {
        return new ConsumerState("disabled", true, Set.of(), null);
    }

    static ConsumerState stopped() {
        return new ConsumerState("stopped", false, Set.of(), null);
    }
}
