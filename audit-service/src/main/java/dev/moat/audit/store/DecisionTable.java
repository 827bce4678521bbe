package dev.moat.audit.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.moat.audit.common.PageCursor;
import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.decision.Layer;
import dev.moat.audit.decision.Outcome;
import dev.moat.audit.decision.StagedDecision;

/** The {@code decision_event} table: its columns, how a decision is written to them and read back. */
final class DecisionTable {

    static final String COLUMNS = "event_id, event_time, vault, operation, result, layer, http_status, caller_ip, "
            + "caller_ip_number, tenant_id, object_id, application_id, is_address_authorized, "
            + "address_authorization_type, matched_rule, subnet_id, trusted_service, is_access_policy_match, "
            + "duration_ms, correlation_id, reason, request_path, http_method, source, staged_is_address_authorized, "
            + "staged_address_authorization_type, staged_matched_rule, staged_trusted_service";

    /** The reads of stored decisions by id and by page. */
    static final EventTable<Decision> EVENTS = new EventTable<>("decision_event", COLUMNS, DecisionTable::read,
            decision -> new PageCursor(decision.time(), decision.eventId()));

    private DecisionTable() {
    }

    /** Writes a decision's values in the order of {@link #COLUMNS}, then the time it is stored. */
    static void write(RowWriter row, Decision d, Instant storedAt) throws SQLException {
        row.text(d.eventId());
        row.time(d.time());
        row.text(d.vault());
        row.text(d.operation());
        row.label(d.outcome());
        row.label(d.layer());
        row.integer(d.httpStatus());
        row.text(d.callerIp());
        row.number(d.callerIpNumber());
        row.text(d.tenantId());
        row.text(d.objectId());
        row.text(d.applicationId());
        row.bool(d.addressAuthorized());
        row.label(d.authorizationType());
        row.text(d.matchedRule());
        row.text(d.subnetId());
        row.text(d.trustedService());
        row.bool(d.accessPolicyMatch());
        row.number(d.durationMs());
        row.text(d.correlationId());
        row.text(d.reason());
        row.text(d.requestPath());
        row.text(d.httpMethod());
        row.text(d.source());
        StagedDecision staged = d.staged();
        row.bool(staged == null ? null : staged.addressAuthorized());
        row.label(staged == null ? null : staged.authorizationType());
        row.text(staged == null ? null : staged.matchedRule());
        row.text(staged == null ? null : staged.trustedService());
        row.time(storedAt);
    }

    static Decision read(ResultSet rows) throws SQLException {
        return new Decision(
                rows.getString("event_id"),
                Rows.getTime(rows, "event_time"),
                rows.getString("vault"),
                rows.getString("operation"),
                Rows.getLabel(rows, "result", Outcome.class),
                Rows.getLabel(rows, "layer", Layer.class),
                rows.getInt("http_status"),
                rows.getString("caller_ip"),
                Rows.getLong(rows, "caller_ip_number"),
                rows.getString("tenant_id"),
                rows.getString("object_id"),
                rows.getString("application_id"),
                rows.getBoolean("is_address_authorized"),
                Rows.getLabel(rows, "address_authorization_type", AuthorizationType.class),
                rows.getString("matched_rule"),
                rows.getString("subnet_id"),
                rows.getString("trusted_service"),
                rows.getBoolean("is_access_policy_match"),
                rows.getLong("duration_ms"),
                rows.getString("correlation_id"),
                rows.getString("reason"),
                rows.getString("request_path"),
                rows.getString("http_method"),
                rows.getString("source"),
                staged(rows));
    }

    private static StagedDecision staged(ResultSet rows) throws SQLException {
        AuthorizationType type = Rows.getLabel(rows, "staged_address_authorization_type", AuthorizationType.class);
        return type == null ? null : new StagedDecision(rows.getBoolean("staged_is_address_authorized"), type,
                rows.getString("staged_matched_rule"), rows.getString("staged_trusted_service"));
    }
}
