package dev.moat.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.moat.audit.common.Page;
import dev.moat.audit.common.PageCursor;

/**
 * The reads every event table answers alike, written once for decisions and changes: one event by id, and a page of
 * those a {@link Where} selects, newest first by (time, id), with the cursor of the next page.
 *
 * @param table the table's name
 * @param columns the columns {@code read} reads
 * @param read one row to its event
 * @param cursor where the next page starts after an event: its time and id
 */
record EventTable<T>(String table, String columns, RowReader<T> read, Function<T, PageCursor> cursor) {

    /** Reads one row of a result set. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    Optional<T> find(Database database, String eventId) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + columns + " FROM " + table + " WHERE event_id = ?")) {
            select.setString(1, eventId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read.read(rows)) : Optional.empty();
            }
        }
    }

    /**
     * @param where the criteria, including where the previous page ended ({@link Where#after})
     * @param limit the largest number of events to return, at least 1
     */
    Page<T> page(Database database, Where where, int limit) throws SQLException {
        // One more than asked tells whether there is a next page.
        String sql = "SELECT " + columns + " FROM " + table + where.sql()
                + " ORDER BY event_time DESC, event_id DESC FETCH FIRST " + (limit + 1) + " ROWS ONLY";
        List<T> events = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(sql)) {
            where.bind(select);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(read.read(rows));
                }
            }
        }
        if (events.size() <= limit) {
            return new Page<>(events, Optional.empty());
        }
        List<T> page = events.subList(0, limit);
        return new Page<>(List.copyOf(page), Optional.of(cursor.apply(page.get(limit - 1))));
    }
}
