package dev.moat.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.moat.audit.change.Change;
import dev.moat.audit.change.ChangeFilter;
import dev.moat.audit.change.ResourceKind;
import dev.moat.audit.common.Page;
import dev.moat.audit.common.PageCursor;

/** Reads stored management changes: one by id, or pages of those a filter selects, newest first. */
@ApplicationScoped
public class ChangeQueries {

    @Inject
    Database database;

    public Optional<Change> find(String eventId) throws SQLException {
        return ChangeTable.EVENTS.find(database, eventId);
    }

    /** The ARM id of a vault, as its latest management change named it; empty when no change of it is stored. */
    public Optional<String> vaultResourceId(String vault) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("SELECT resource_id FROM change_event"
                        + " WHERE vault = ? AND resource_kind IN (?, ?, ?)"
                        + " ORDER BY event_time DESC FETCH FIRST 1 ROWS ONLY")) {
            select.setString(1, vault.toLowerCase(Locale.ROOT));
            select.setString(2, ResourceKind.VAULT.label());
            select.setString(3, ResourceKind.NETWORK_RULE_SET.label());
            select.setString(4, ResourceKind.ACCESS_POLICIES.label());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    public Page<Change> list(ChangeFilter filter, PageCursor after, int limit) throws SQLException {
        Where where = new Where()
                .when(filter.vault() == null ? null : filter.vault().toLowerCase(Locale.ROOT), "vault = ?")
                .when(filter.kind() == null ? null : filter.kind().label(), "resource_kind = ?")
                .equalsIgnoringCase("resource_id", filter.resourceId())
                .when(filter.from(), "event_time >= ?")
                .when(filter.to(), "event_time < ?")
                .after(after);
        return ChangeTable.EVENTS.page(database, where, limit);
    }
}
