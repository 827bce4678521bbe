package dev.moat.vault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.jboss.logging.Logger;

/**
 * Lets installations made before the migrations V1, V3, V50 and V51 were written once, portably, validate as before.
 * Until then each had an H2 form ({@code db/h2}, with {@code CLOB} and {@code VARBINARY(n)}) and a PostgreSQL form
 * ({@code db/postgresql}, {@code TEXT} and {@code BYTEA} with an {@code octet_length} check); Flyway recorded the
 * checksum of the form it ran. Today's single file ({@code db/migration}) is the PostgreSQL form with a new comment,
 * which H2 runs as it is.
 *
 * <p>Before Flyway validates, this rewrites the recorded checksum of exactly those four versions to today's, and only
 * where the recorded one is the former file's of the same database (an H2 installation's the H2 file's, a PostgreSQL
 * installation's the PostgreSQL file's). Anything else is left as it is and fails validation as Flyway always does, so
 * a migration edited by hand is still caught. Registered on both datasources with {@code quarkus.flyway.*.callbacks}.
 */
public final class FormerMigrationChecksums implements Callback {

    private static final Logger LOG = Logger.getLogger(FormerMigrationChecksums.class);

    /**
     * The checksums Flyway recorded for {@code db/h2/V1__vaults.sql}, {@code V3__secrets.sql}, {@code V50__keys.sql}
     * and {@code V51__certificates.sql} as they stood from commit e3899c0 until they were replaced (Flyway's CRC-32
     * over the files' lines, read from the {@code flyway_schema_history} of a database they migrated).
     */
    static final Map<String, Integer> FORMER_H2 = Map.of("1", -906542099, "3", -1270042024, "50", 1985726788,
            "51", -1458705877);

    /** The same for the former {@code db/postgresql} forms of the four migrations. */
    static final Map<String, Integer> FORMER_POSTGRESQL = Map.of("1", 2064097247, "3", 1534113177, "50", 2099855562,
            "51", -701148234);

    /** The checksums of today's {@code db/migration} files of the four versions (a test checks them against Flyway's). */
    static final Map<String, Integer> CURRENT = Map.of("1", -94033773, "3", -1631487249, "50", -1255851499,
            "51", 228390147);

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            Connection c = context.getConnection();
            Map<String, Integer> former = formerChecksums(c.getMetaData().getDatabaseProductName());
            String table = context.getConfiguration().getTable();
            String schema = context.getConfiguration().getDefaultSchema();
            if (former.isEmpty() || !exists(c, schema, table)) {
                return;
            }
            String qualified = (schema == null ? "" : quote(schema) + ".") + quote(table);
            int rewritten = 0;
            try (PreparedStatement s = c.prepareStatement("UPDATE " + qualified
                    + " SET \"checksum\" = ? WHERE \"version\" = ? AND \"checksum\" = ?")) {
                for (Map.Entry<String, Integer> e : former.entrySet()) {
                    s.setInt(1, CURRENT.get(e.getKey()));
                    s.setString(2, e.getKey());
                    s.setInt(3, e.getValue());
                    rewritten += s.executeUpdate();
                }
            }
            if (rewritten > 0) {
                LOG.infof("Recorded today's checksum for %d migration(s) applied from their former %s form"
                        + " (the same schema, now written once for both databases)", rewritten,
                        c.getMetaData().getDatabaseProductName());
            }
        } catch (SQLException e) {
            throw new FlywayException("cannot read or update the checksums of the former migrations", e);
        }
    }

    @Override
    public String getCallbackName() {
        return getClass().getSimpleName();
    }

    /** The former checksums of the database named (JDBC product name); none for a database Moat never ran on. */
    static Map<String, Integer> formerChecksums(String databaseProductName) {
        return switch (databaseProductName) {
            case "H2" -> FORMER_H2;
            case "PostgreSQL" -> FORMER_POSTGRESQL;
            default -> Map.of();
        };
    }

    private static boolean exists(Connection c, String schema, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, schema, table, null)) {
            return rs.next();
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
