package dev.moat.audit.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.whatif.Origin;
import dev.moat.audit.whatif.SeenOrigin;
import dev.moat.audit.whatif.Verdict;

/** The distinct origins of a vault's requests over a window, counted in the database, for the what-if. */
@ApplicationScoped
public class WhatIfQueries {

    /**
     * One aggregation over the window (the {@code (vault, event_time)} index): per origin and enforced answer, the
     * requests, the last one, the operations. Only requests the firewall decided (not those refused before it, and
     * not an unknown vault), since only those can be decided again. ARRAY_AGG is the aggregate H2 and PostgreSQL
     * share.
     */
    private static final String ORIGINS = "SELECT caller_ip, subnet_id, object_id, application_id, trusted_service,"
            + " address_authorization_type, matched_rule, COUNT(*) AS requests, MAX(event_time) AS last_seen,"
            + " ARRAY_AGG(DISTINCT operation) AS operations"
            + " FROM decision_event WHERE vault = ? AND event_time >= ? AND event_time < ? AND caller_ip IS NOT NULL"
            + " AND address_authorization_type IS NOT NULL AND address_authorization_type <> '"
            + AuthorizationType.UNKNOWN_VAULT.label() + "'"
            + " GROUP BY caller_ip, subnet_id, object_id, application_id, trusted_service, address_authorization_type,"
            + " matched_rule";

    @Inject
    Database database;

    /**
     * The origins seen in {@code [from, to)}, each with the enforced answer to its latest request (rules may have
     * changed within the window, which splits an origin over several rows of the aggregation).
     */
    public List<SeenOrigin> seenOrigins(String vault, Instant from, Instant to) throws SQLException {
        Map<Key, Merged> origins = new LinkedHashMap<>();
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(ORIGINS)) {
            select.setString(1, vault.toLowerCase(Locale.ROOT));
            Rows.setTime(select, 2, from);
            Rows.setTime(select, 3, to);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Key key = new Key(rows.getString("caller_ip"), rows.getString("subnet_id"),
                            rows.getString("object_id"), rows.getString("application_id"));
                    AuthorizationType type = Rows.getLabel(rows, "address_authorization_type", AuthorizationType.class);
                    String trusted = rows.getString("trusted_service");
                    Verdict verdict = new Verdict(type != AuthorizationType.DENIED, type, rows.getString("matched_rule"),
                            trusted);
                    Instant lastSeen = Rows.getTime(rows, "last_seen");
                    Merged merged = origins.computeIfAbsent(key, k -> new Merged());
                    merged.requests += rows.getLong("requests");
                    operations(rows.getArray("operations"), merged.operations);
                    if (merged.lastSeen == null || lastSeen.isAfter(merged.lastSeen)) {
                        merged.lastSeen = lastSeen;
                        merged.latest = verdict;
                    }
                    if (trusted != null) {
                        merged.trustedService = trusted;
                    }
                }
            }
        }
        List<SeenOrigin> seen = new ArrayList<>(origins.size());
        origins.forEach((key, merged) -> seen.add(new SeenOrigin(
                new Origin(key.callerIp(), key.subnetId(), key.objectId(), key.applicationId(), merged.trustedService),
                merged.requests, merged.lastSeen, merged.operations, merged.latest)));
        return seen;
    }

    private static void operations(Array array, TreeSet<String> into) throws SQLException {
        if (array == null) {
            return;
        }
        for (Object operation : (Object[]) array.getArray()) {
            if (operation != null) {
                into.add(operation.toString());
            }
        }
        array.free();
    }

    /** An origin as SQL groups it: any part may be null, and records compare nulls as equal. */
    private record Key(String callerIp, String subnetId, String objectId, String applicationId) {
    }

    private static final class Merged {
        long requests;
        Instant lastSeen;
        Verdict latest;
        String trustedService;
        final TreeSet<String> operations = new TreeSet<>();
    }
}
