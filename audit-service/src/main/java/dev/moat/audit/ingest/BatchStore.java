package dev.moat.audit.ingest;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import dev.moat.audit.change.Change;
import dev.moat.audit.config.AuditConfig;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.store.EventStore;
import dev.moat.audit.store.EventStore.StoreResult;

/**
 * What happens to one decoded batch of records: its events stored in one transaction (the ones the database
 * refuses found one by one and made poison), then its poison sent to the dead-letter topic. Runs on
 * {@link EventConsumer}'s store thread; the consumer commits the batch's offsets only after it returned true.
 */
@ApplicationScoped
class BatchStore {

    private static final Logger LOG = Logger.getLogger(BatchStore.class);

    /** A record of the batch and what it decoded to. */
    record Item(ConsumerRecord<byte[], byte[]> record, Decoded decoded) {
    }

    private final EventStore store;
    private final DeadLetters deadLetters;
    private final IngestMetrics metrics;
    private final String deadLetterTopic;

    @Inject
    BatchStore(AuditConfig config, EventStore store, DeadLetters deadLetters, IngestMetrics metrics) {
        this.store = store;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.deadLetterTopic = config.consumer().deadLetterTopic();
    }

    /** Stores the batch and dead-letters what cannot be stored; false when the batch must be read again. */
    boolean store(List<Item> decoded) {
        List<Item> items = decoded;
        try {
            items = storeAll(items);
        } catch (SQLException e) {
            LOG.warnf("Storing %d events failed (SQLState %s, code %d); will retry: %s", items.size(),
                    e.getSQLState(), e.getErrorCode(), e.getMessage());
            return false;
        }
        try {
            for (Item item : items) {
                if (item.decoded() instanceof Decoded.Poison poison) {
                    deadLetters.send(item.record(), poison.reason());
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Dead-letter topic %s did not take a record; will retry: %s", deadLetterTopic, e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /**
     * Stores every decoded event of the batch in one transaction. When the database refuses the data itself
     * (not a connection problem), each event is stored on its own instead, so that only the refused ones become
     * poison. Returns the items, with the refused ones now poison.
     */
    private List<Item> storeAll(List<Item> items) throws SQLException {
        try {
            storeCounted(items);
            return items;
        } catch (SQLException e) {
            if (!SqlErrors.isRefusedData(e)) {
                throw e;
            }
        }
        List<Item> checked = new ArrayList<>(items.size());
        for (Item item : items) {
            if (item.decoded() instanceof Decoded.Poison) {
                checked.add(item);
                continue;
            }
            try {
                storeCounted(List.of(item));
                checked.add(item);
            } catch (SQLException e) {
                if (!SqlErrors.isRefusedData(e)) {
                    throw e;
                }
                checked.add(new Item(item.record(), new Decoded.Poison(
                        "the database refused the event (SQLState " + e.getSQLState() + ")")));
            }
        }
        return checked;
    }

    /** Stores the items' events in one transaction and counts them once it committed. */
    private void storeCounted(List<Item> items) throws SQLException {
        List<Decision> decisions = decisions(items);
        List<Change> changes = changes(items);
        StoreResult result = store.store(decisions, changes);
        metrics.stored(result.decisionsStored(), result.changesStored(), result.duplicates());
        metrics.queryable(decisions.stream().map(Decision::time).toList(),
                changes.stream().map(Change::time).toList(), Instant.now());
    }

    private static List<Decision> decisions(List<Item> items) {
        return items.stream().map(Item::decoded).filter(Decoded.DecisionRecord.class::isInstance)
                .map(d -> ((Decoded.DecisionRecord) d).decision()).toList();
    }

    private static List<Change> changes(List<Item> items) {
        return items.stream().map(Item::decoded).filter(Decoded.ChangeRecord.class::isInstance)
                .map(d -> ((Decoded.ChangeRecord) d).change()).toList();
    }
}
