package dev.moat.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.decision.Layer;
import dev.moat.audit.decision.Outcome;
import dev.moat.audit.diagnosis.DenialGroup;

/** Counts a vault's denials over a time window, in the database, for the diagnosis. */
@ApplicationScoped
public class DiagnosisQueries {

    /** The firewall denials grouped by (client address, subnet), most first, and whether more groups exist. */
    public record FirewallDenials(List<DenialGroup> groups, boolean truncated) {
    }

    private static final String WINDOW = " FROM decision_event WHERE vault = ? AND event_time >= ? AND event_time < ?"
            + " AND result = '" + Outcome.DENIED.label() + "'";

    /** Refused by the network rules: what a rule change can fix (not an unknown vault, not a failed check). */
    private static final String FIREWALL = WINDOW + " AND layer = '" + Layer.FIREWALL.label() + "'"
            + " AND address_authorization_type = '" + AuthorizationType.DENIED.label() + "'";

    @Inject
    Database database;

    public FirewallDenials firewallDenials(String vault, Instant from, Instant to, int maxGroups) throws SQLException {
        Map<Key, Counted> groups = new LinkedHashMap<>();
        try (Connection connection = database.connect()) {
            String counts = "SELECT caller_ip, subnet_id, COUNT(*) AS denials, MIN(event_time) AS first_seen,"
                    + " MAX(event_time) AS last_seen" + FIREWALL + " GROUP BY caller_ip, subnet_id"
                    + " ORDER BY denials DESC, last_seen DESC FETCH FIRST " + (maxGroups + 1) + " ROWS ONLY";
            try (PreparedStatement select = window(connection, counts, vault, from, to);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Key key = new Key(rows.getString("caller_ip"), rows.getString("subnet_id"));
                    groups.put(key, new Counted(rows.getLong("denials"), Rows.getTime(rows, "first_seen"),
                            Rows.getTime(rows, "last_seen"), new TreeSet<>()));
                }
            }
            boolean truncated = groups.size() > maxGroups;
            if (truncated) {
                Key extra = groups.keySet().stream().skip(maxGroups).findFirst().orElseThrow();
                groups.remove(extra);
            }
            String operations = "SELECT DISTINCT caller_ip, subnet_id, operation" + FIREWALL + " AND operation IS NOT NULL";
            try (PreparedStatement select = window(connection, operations, vault, from, to);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Counted counted = groups.get(new Key(rows.getString("caller_ip"), rows.getString("subnet_id")));
                    if (counted != null) {
                        counted.operations().add(rows.getString("operation"));
                    }
                }
            }
            List<DenialGroup> result = new ArrayList<>();
            groups.forEach((key, counted) -> result.add(new DenialGroup(key.callerIp(), key.subnetId(),
                    counted.count(), counted.firstSeen(), counted.lastSeen(), Set.copyOf(counted.operations()))));
            return new FirewallDenials(result, truncated);
        }
    }

    /** Every denial of the window, by layer label. */
    public Map<String, Long> denialsByLayer(String vault, Instant from, Instant to) throws SQLException {
        Map<String, Long> byLayer = new HashMap<>();
        try (Connection connection = database.connect();
                PreparedStatement select = window(connection,
                        "SELECT layer, COUNT(*) AS denials" + WINDOW + " GROUP BY layer", vault, from, to);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                byLayer.put(rows.getString("layer"), rows.getLong("denials"));
            }
        }
        return byLayer;
    }

    private static PreparedStatement window(Connection connection, String sql, String vault, Instant from, Instant to)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setString(1, vault.toLowerCase(Locale.ROOT));
        Rows.setTime(statement, 2, from);
        Rows.setTime(statement, 3, to);
        return statement;
    }

    /** A group as SQL returns it: either part may be null, and records compare nulls as equal. */
    private record Key(String callerIp, String subnetId) {
    }

    private record Counted(long count, Instant firstSeen, Instant lastSeen, TreeSet<String> operations) {
    }
}
