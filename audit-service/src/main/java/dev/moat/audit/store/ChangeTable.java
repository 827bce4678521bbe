package dev.moat.audit.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.moat.audit.change.Change;
import dev.moat.audit.change.ChangeAction;
import dev.moat.audit.change.ResourceKind;
import dev.moat.audit.common.PageCursor;

/** The {@code change_event} table: its columns, how a change is written to them and read back. */
final class ChangeTable {

    static final String COLUMNS = "event_id, event_time, actor_tenant_id, actor_object_id, actor_application_id, "
            + "resource_kind, resource_id, vault, action, before_json, after_json, operation, source, correlation_id";

    static final String INSERT = "INSERT INTO change_event (" + COLUMNS + ", stored_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The reads of stored changes by id and by page. */
    static final EventTable<Change> EVENTS = new EventTable<>("change_event", COLUMNS, ChangeTable::read,
            change -> new PageCursor(change.time(), change.eventId()));

    private ChangeTable() {
    }

    static void bind(PreparedStatement insert, Change c, Instant storedAt) throws SQLException {
        int i = 0;
        insert.setString(++i, c.eventId());
        Rows.setTime(insert, ++i, c.time());
        Rows.setText(insert, ++i, c.actorTenantId());
        Rows.setText(insert, ++i, c.actorObjectId());
        Rows.setText(insert, ++i, c.actorApplicationId());
        Rows.setLabel(insert, ++i, c.kind());
        insert.setString(++i, c.resourceId());
        Rows.setText(insert, ++i, c.vault());
        Rows.setLabel(insert, ++i, c.action());
        Rows.setText(insert, ++i, c.beforeJson());
        Rows.setText(insert, ++i, c.afterJson());
        Rows.setText(insert, ++i, c.operation());
        Rows.setText(insert, ++i, c.source());
        Rows.setText(insert, ++i, c.correlationId());
        Rows.setTime(insert, ++i, storedAt);
    }

    static Change read(ResultSet rows) throws SQLException {
        return new Change(
                rows.getString("event_id"),
                Rows.getTime(rows, "event_time"),
                rows.getString("actor_tenant_id"),
                rows.getString("actor_object_id"),
                rows.getString("actor_application_id"),
                Rows.getLabel(rows, "resource_kind", ResourceKind.class),
                rows.getString("resource_id"),
                rows.getString("vault"),
                Rows.getLabel(rows, "action", ChangeAction.class),
                rows.getString("before_json"),
                rows.getString("after_json"),
                rows.getString("operation"),
                rows.getString("source"),
                rows.getString("correlation_id"));
    }
}
