package dev.moat.audit.ingest;

import dev.moat.audit.change.Change;
import dev.moat.audit.decision.Decision;

/** What one Kafka record turned out to be. */
public sealed interface Decoded {

    record DecisionRecord(Decision decision) implements Decoded {
    }

    record ChangeRecord(Change change) implements Decoded {
    }

    /** A record that cannot be stored: malformed, of an unknown type or version, or invalid. */
    record Poison(String reason) implements Decoded {
    }
}
