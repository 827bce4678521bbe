package dev.moat.vault.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.moat.proto.events.v1.ChangeEvent;

/** Reads the change events the service relays to the real test broker ({@code moat.changes.v1}). */
public final class ChangeEvents {

    private static final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    private static Thread poller;

    private ChangeEvents() {
    }

    public static synchronized void start() {
        if (poller != null) {
            return;
        }
        poller = TopicPoller.start("moat.changes.v1", "change-events", ChangeEvent::parseFrom, events::add);
    }

    /** The change events of a vault received so far, in order. */
    public static List<ChangeEvent> of(String vault) {
        start();
        return events.stream().filter(e -> e.getVault().equals(vault)).toList();
    }
}
