package dev.moat.audit.store;

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

    /** The reads of stored changes by id and by page. */
    static final EventTable<Change> EVENTS = new EventTable<>("change_event", COLUMNS, ChangeTable::read,
            change -> new PageCursor(change.time(), change.eventId()));

    private ChangeTable() {
    }

    /** Writes a change's values in the order of {@link #COLUMNS}, then the time it is stored. */
    static void write(RowWriter row, Change c, Instant storedAt) throws SQLException {
        row.text(c.eventId());
        row.time(c.time());
        row.text(c.actorTenantId());
        row.text(c.actorObjectId());
        row.text(c.actorApplicationId());
        row.label(c.kind());
        row.text(c.resourceId());
        row.text(c.vault());
        row.label(c.action());
        row.text(c.beforeJson());
        row.text(c.afterJson());
        row.text(c.operation());
        row.text(c.source());
        row.text(c.correlationId());
        row.time(storedAt);
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
