package dev.moat.vault.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.moat.proto.events.v1.DecisionEvent;

/** Reads the decision events the service publishes to the real test broker, so that tests can find theirs by id. */
public final class DecisionEvents {

    private static final Map<String, DecisionEvent> events = new ConcurrentHashMap<>();
    /** Every record received, duplicates included (delivery is at least once). */
    private static final List<DecisionEvent> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static Thread poller;

    private DecisionEvents() {
    }

    /** Starts consuming once per JVM (the broker outlives the test classes). */
    public static synchronized void start() {
        if (poller != null) {
            return;
        }
        poller = TopicPoller.start("moat.decisions.v1", "decision-events", DecisionEvent::parseFrom, event -> {
            events.put(event.getEventId(), event);
            received.add(event);
        });
    }

    public static DecisionEvent await(String id) {
        start();
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> Optional.ofNullable(events.get(id)), Optional::isPresent).orElseThrow();
    }

    /** The distinct events (by event id) received so far whose correlation id is the given one. */
    public static List<DecisionEvent> withCorrelationId(String correlationId) {
        start();
        return received.stream().filter(e -> e.getCorrelationId().equals(correlationId))
                .collect(java.util.stream.Collectors.toMap(DecisionEvent::getEventId, e -> e, (a, b) -> a,
                        java.util.LinkedHashMap::new))
                .values().stream().toList();
    }
}
