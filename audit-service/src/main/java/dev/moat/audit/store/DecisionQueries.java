package dev.moat.audit.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.moat.audit.common.Labelled;
import dev.moat.audit.common.Page;
import dev.moat.audit.common.PageCursor;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.decision.DecisionFilter;

/** Reads stored decisions: one by id, or pages of those a filter selects, newest first. */
@ApplicationScoped
public class DecisionQueries {

    private static final int STREAM_FETCH_SIZE = 500;

    @Inject
    Database database;

    public Optional<Decision> find(String eventId) throws SQLException {
        return DecisionTable.EVENTS.find(database, eventId);
    }

    /**
     * @param after where the previous page ended, {@code null} for the first page
     * @param limit the largest number of decisions to return, at least 1
     */
    public Page<Decision> list(DecisionFilter filter, PageCursor after, int limit) throws SQLException {
        return DecisionTable.EVENTS.page(database, where(filter).after(after), limit);
    }

    /** Receives streamed rows; may fail writing them out. */
    @FunctionalInterface
    public interface Sink<T> {
        void accept(T item) throws IOException;
    }

    /**
     * Streams every decision the filter selects, oldest first (the order a SIEM ingests), without holding them in
     * memory.
     */
    public void forEachOldestFirst(DecisionFilter filter, Sink<Decision> sink) throws SQLException, IOException {
        Where where = where(filter);
        String sql = "SELECT " + DecisionTable.COLUMNS + " FROM decision_event" + where.sql()
                + " ORDER BY event_time, event_id";
        try (Connection connection = database.connect()) {
            // PostgreSQL streams with a fetch size only inside a transaction.
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setFetchSize(STREAM_FETCH_SIZE);
                where.bind(select);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        sink.accept(DecisionTable.read(rows));
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    static Where where(DecisionFilter filter) {
        return new Where()
                .when(filter.vault() == null ? null : filter.vault().toLowerCase(Locale.ROOT), "vault = ?")
                .when(filter.from(), "event_time >= ?")
                .when(filter.to(), "event_time < ?")
                .when(label(filter.outcome()), "result = ?")
                .when(label(filter.layer()), "layer = ?")
                .when(label(filter.authorizationType()), "address_authorization_type = ?")
                .when(filter.clientRange() == null ? null : filter.clientRange().first(), "caller_ip_number >= ?")
                .when(filter.clientRange() == null ? null : filter.clientRange().last(), "caller_ip_number <= ?")
                .when(filter.clientAddress(), "caller_ip = ?")
                .equalsIgnoringCase("subnet_id", filter.subnetId())
                .equalsIgnoringCase("object_id", filter.objectId())
                .equalsIgnoringCase("application_id", filter.applicationId())
                .equalsIgnoringCase("operation", filter.operation())
                .when(Boolean.TRUE.equals(filter.stagedDiffers()) ? "" : null,
                        "staged_is_address_authorized <> is_address_authorized")
                .when(Boolean.FALSE.equals(filter.stagedDiffers()) ? "" : null,
                        "staged_is_address_authorized = is_address_authorized");
    }

    private static String label(Labelled value) {
        return value == null ? null : value.label();
    }
}
