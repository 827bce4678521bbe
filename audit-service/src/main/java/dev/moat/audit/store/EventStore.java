package dev.moat.audit.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.moat.audit.change.Change;
import dev.moat.audit.decision.Decision;

/**
 * Writes events idempotently: an event whose id is already stored (a redelivery after a crash or a rebalance)
 * is skipped, not an error; an id twice in one call is stored once. Everything passed to one {@link #store} call
 * commits or fails together, so the caller may commit its Kafka offsets once it returns.
 */
@ApplicationScoped
public class EventStore {

    /** How many events were new and how many were already there. */
    public record StoreResult(int decisionsStored, int changesStored, int duplicates) {
    }

    private static final int IN_LIST_SIZE = 500;

    private final Database database;
    private final Clock clock;

    @Inject
    EventStore(Database database) {
        this(database, Clock.systemUTC());
    }

    EventStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Stores the events in one transaction. The common case, no event already stored, costs only the inserts:
     * the primary key refuses a stored id, and only then is the batch stored again, skipping the ids found.
     */
    public StoreResult store(List<Decision> decisions, List<Change> changes) throws SQLException {
        Instant storedAt = clock.instant();
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try {
                try {
                    return store(connection, decisions, changes, storedAt, false);
                } catch (SQLException e) {
                    if (!isUniqueViolation(e)) {
                        throw e;
                    }
                }
                // A redelivered batch (after a crash or a rebalance): look the ids up first.
                return store(connection, decisions, changes, storedAt, true);
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static StoreResult store(Connection connection, List<Decision> decisions, List<Change> changes,
            Instant storedAt, boolean skipStored) throws SQLException {
        try {
            int newDecisions = insertNew(connection, DECISIONS, decisions, storedAt, skipStored);
            int newChanges = insertNew(connection, CHANGES, changes, storedAt, skipStored);
            connection.commit();
            int duplicates = decisions.size() + changes.size() - newDecisions - newChanges;
            return new StoreResult(newDecisions, newChanges, duplicates);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** SQLState 23505, on the exception, its causes or (for a batch) the exceptions chained to it. */
    static boolean isUniqueViolation(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if ("23505".equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Deletes decisions older than {@code cutoff}, {@code batchSize} per transaction; returns how many. */
    public long purgeDecisionsBefore(Instant cutoff, int batchSize) throws SQLException {
        return purge("decision_event", cutoff, batchSize);
    }

    /** Deletes changes older than {@code cutoff}, {@code batchSize} per transaction; returns how many. */
    public long purgeChangesBefore(Instant cutoff, int batchSize) throws SQLException {
        return purge("change_event", cutoff, batchSize);
    }

    private long purge(String table, Instant cutoff, int batchSize) throws SQLException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the purge batch size must be at least 1, not " + batchSize);
        }
        String sql = "DELETE FROM " + table + " WHERE event_id IN (SELECT event_id FROM " + table
                + " WHERE event_time < ? FETCH FIRST " + batchSize + " ROWS ONLY)";
        long total = 0;
        try (Connection connection = database.connect();
                PreparedStatement delete = connection.prepareStatement(sql)) {
            int deleted;
            do {
                Rows.setTime(delete, 1, cutoff);
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == batchSize);
        }
        return total;
    }

    @FunctionalInterface
    private interface Writer<T> {
        void write(RowWriter row, T event, Instant storedAt) throws SQLException;
    }

    /** A table events are stored in: its name, its columns and how an event fills them. */
    private record Table<T>(String name, String columns, Function<T, String> id, Writer<T> writer) {

        String insert() {
            int columnCount = columns.split(",").length + 1;
            return "INSERT INTO " + name + " (" + columns + ", stored_at) VALUES ("
                    + String.join(", ", Collections.nCopies(columnCount, "?")) + ")";
        }

        String copy() {
            return "COPY " + name + " (" + columns + ", stored_at) FROM STDIN";
        }
    }

    private static final Table<Decision> DECISIONS = new Table<>("decision_event", DecisionTable.COLUMNS,
            Decision::eventId, DecisionTable::write);
    private static final Table<Change> CHANGES = new Table<>("change_event", ChangeTable.COLUMNS,
            Change::eventId, ChangeTable::write);

    private static <T> int insertNew(Connection connection, Table<T> table, List<T> events, Instant storedAt,
            boolean skipStored) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        Map<String, T> byId = new LinkedHashMap<>();
        events.forEach(event -> byId.putIfAbsent(table.id().apply(event), event));
        if (skipStored) {
            byId.keySet().removeAll(existingIds(connection, table.name(), List.copyOf(byId.keySet())));
        }
        if (byId.isEmpty()) {
            return 0;
        }
        if (connection.isWrapperFor(PGConnection.class)) {
            copy(connection.unwrap(PGConnection.class), table, byId.values(), storedAt);
        } else {
            insert(connection, table, byId.values(), storedAt);
        }
        return byId.size();
    }

    private static <T> void insert(Connection connection, Table<T> table, Collection<T> events, Instant storedAt)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(table.insert())) {
            StatementRow row = new StatementRow(insert);
            for (T event : events) {
                table.writer().write(row.next(), event, storedAt);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * PostgreSQL's {@code COPY}: the rows go to the server as one stream, which it parses and stores without
     * planning a statement, several times cheaper for the server than the same rows as multi-row inserts. A
     * stored id or a refused value fails the whole {@code COPY}, like a failed batch: the transaction is rolled
     * back and the caller decides what to do.
     */
    private static <T> void copy(PGConnection connection, Table<T> table, Collection<T> events, Instant storedAt)
            throws SQLException {
        CopyRows rows = new CopyRows();
        for (T event : events) {
            table.writer().write(rows, event, storedAt);
            rows.endRow();
        }
        byte[] data = rows.text().getBytes(StandardCharsets.UTF_8);
        CopyIn copy = connection.getCopyAPI().copyIn(table.copy());
        try {
            copy.writeToCopy(data, 0, data.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static Set<String> existingIds(Connection connection, String table, List<String> ids) throws SQLException {
        Set<String> existing = new HashSet<>();
        for (int from = 0; from < ids.size(); from += IN_LIST_SIZE) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST_SIZE));
            String sql = "SELECT event_id FROM " + table + " WHERE event_id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        existing.add(rows.getString(1));
                    }
                }
            }
        }
        return existing;
    }
}
