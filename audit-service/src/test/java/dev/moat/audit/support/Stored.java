package dev.moat.audit.support;

import java.util.ArrayList;
import java.util.List;

import dev.moat.audit.change.Change;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.ingest.EventMapper;
import dev.moat.audit.store.EventStore;
import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.DecisionEvent;

/** Stores events directly, for tests of the query side that need no trip through Kafka. */
public final class Stored {

    private Stored() {
    }

    public static void decisions(EventStore store, DecisionEvent.Builder... events) throws Exception {
        List<Decision> decisions = new ArrayList<>();
        for (DecisionEvent.Builder event : events) {
            decisions.add(EventMapper.toDecision(event.build()));
        }
        store.store(decisions, List.of());
    }

    public static void changes(EventStore store, ChangeEvent.Builder... events) throws Exception {
        List<Change> changes = new ArrayList<>();
        for (ChangeEvent.Builder event : events) {
            changes.add(EventMapper.toChange(event.build()));
        }
        store.store(List.of(), changes);
    }
}
