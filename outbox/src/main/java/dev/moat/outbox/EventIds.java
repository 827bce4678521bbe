package dev.moat.outbox;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;

/**
 * Ids of the events Moat publishes (decision ids, change event ids): UUIDs of version 7 (RFC 9562), whose leading
 * 48 bits are the Unix time in milliseconds and whose other 74 free bits are random. Ids made later sort later, as
 * numbers and as their lower-case text, so that a store keeping events by id (audit-service's primary key) adds
 * each new one at the end of its index instead of at a random place, which is what a random (version 4) id costs
 * a B-tree: a page written again per event.
 */
public final class EventIds {

    private static final TimeBasedEpochRandomGenerator GENERATOR = Generators.timeBasedEpochRandomGenerator();

    private EventIds() {
    }

    /** A new id, in the 36-character text form. */
    public static String next() {
        return GENERATOR.generate().toString();
    }
}
