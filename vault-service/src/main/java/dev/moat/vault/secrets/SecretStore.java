package dev.moat.vault.secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.vault.store.VaultObjectTables;

/**
 * JDBC access to the tables of secrets ({@code V3__secrets.sql}). Every method but {@link #inTransaction} runs on the caller's connection, so that {@link SecretService} composes one transaction per
 * operation. Holds only sealed values.
 */
@ApplicationScoped
public class SecretStore {

    /** A secret row. Dates are epoch seconds; {@code deletedAt} is null for a live secret. */
    record SecretRow(String name, String nameKey, String latestVersion, Long deletedAt, Long scheduledPurgeAt) {
    }

    /** A version row. {@code tags} is a JSON object. */
    record VersionRow(String version, long seq, byte[] sealedValue, String contentType, boolean enabled, Long notBefore,
            Long expires, long created, long updated, String tags) {
    }

    /** A secret with its latest version, as lists show it. */
    record Listed(SecretRow secret, VersionRow latest) {
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final String VERSION_COLUMNS = "v.version, v.seq, v.sealed_value, v.content_type, v.enabled, "
            + "v.not_before, v.expires, v.created, v.updated, v.tags";
    private static final String SECRET_COLUMNS = "s.name, s.name_key, s.latest_version, s.deleted_at, "
            + "s.scheduled_purge_at";

    static final VaultObjectTables TABLES = VaultObjectTables.SECRETS;

    private final DataSource dataSource;

    public SecretStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in one transaction, committed when it returns and rolled back when it throws. */
    <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Locks the vault's row until the transaction ends, so that concurrent requests create a vault's data key, or a
     * new secret name, one after the other.
     *
     * @return false when the vault no longer exists
     */
    boolean lockVault(Connection c, String vault) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM vault WHERE name = ? FOR UPDATE")) {
            s.setString(1, vault);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    Optional<SecretRow> secret(Connection c, String vault, String nameKey, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + SECRET_COLUMNS + " FROM secret s WHERE s.vault = ? "
                + "AND s.name_key = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, vault);
            s.setString(2, nameKey);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(secretRow(rs)) : Optional.empty();
            }
        }
    }

    void insertSecret(Connection c, String vault, String nameKey, String name, String latestVersion)
            throws SQLException {
        update(c, "INSERT INTO secret (vault, name_key, name, latest_version) VALUES (?, ?, ?, ?)", vault, nameKey,
                name, latestVersion);
    }

    void setLatest(Connection c, String vault, String nameKey, String version) throws SQLException {
        update(c, "UPDATE secret SET latest_version = ? WHERE vault = ? AND name_key = ?", version, vault, nameKey);
    }

    void markDeleted(Connection c, String vault, String nameKey, long deletedAt, long purgeAt) throws SQLException {
        TABLES.markDeleted(c, vault, nameKey, deletedAt, purgeAt);
    }

    void markRecovered(Connection c, String vault, String nameKey) throws SQLException {
        TABLES.markRecovered(c, vault, nameKey);
    }

    /** Removes a secret and (by cascade) all its versions. */
    void deleteSecret(Connection c, String vault, String nameKey) throws SQLException {
        TABLES.remove(c, vault, nameKey);
    }

    void insertVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        update(c, "INSERT INTO secret_version (vault, name_key, version, sealed_value, content_type, enabled, "
                + "not_before, expires, created, updated, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", vault,
                nameKey, row.version(), row.sealedValue(), row.contentType(), row.enabled(), row.notBefore(),
                row.expires(), row.created(), row.updated(), row.tags());
    }

    void updateVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        update(c, "UPDATE secret_version SET content_type = ?, enabled = ?, not_before = ?, expires = ?, updated = ?, "
                + "tags = ? WHERE vault = ? AND name_key = ? AND version = ?", row.contentType(), row.enabled(),
                row.notBefore(), row.expires(), row.updated(), row.tags(), vault, nameKey, row.version());
    }

    Optional<VersionRow> version(Connection c, String vault, String nameKey, String version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM secret_version v "
                + "WHERE v.vault = ? AND v.name_key = ? AND v.version = ?")) {
            s.setString(1, vault);
            s.setString(2, nameKey);
            s.setString(3, version);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(versionRow(rs)) : Optional.empty();
            }
        }
    }

    /** Versions of a secret in creation order, after {@code afterSeq}, at most {@code limit}. */
    List<VersionRow> versions(Connection c, String vault, String nameKey, long afterSeq, int limit)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(TABLES.versionsSql(VERSION_COLUMNS))) {
            s.setString(1, vault);
            s.setString(2, nameKey);
            s.setLong(3, afterSeq);
            s.setInt(4, limit);
            List<VersionRow> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(versionRow(rs));
                }
            }
            return rows;
        }
    }

    /** Live or soft-deleted secrets of a vault with their latest version, by name key after {@code afterKey}. */
    List<Listed> list(Connection c, String vault, boolean deleted, String afterKey, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(TABLES.listSql("s", SECRET_COLUMNS, VERSION_COLUMNS, deleted))) {
            s.setString(1, vault);
            s.setString(2, afterKey);
            s.setInt(3, limit);
            List<Listed> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Listed(secretRow(rs), versionRow(rs)));
                }
            }
            return rows;
        }
    }

    /** Purges the soft-deleted secrets whose purge date has come, each once across replicas. @return how many */
    int purgeDue(Clock clock) {
        return TABLES.purgeDue(dataSource, clock);
    }

    private static SecretRow secretRow(ResultSet rs) throws SQLException {
        return new SecretRow(rs.getString("name"), rs.getString("name_key"), rs.getString("latest_version"),
                rs.getObject("deleted_at", Long.class), rs.getObject("scheduled_purge_at", Long.class));
    }

    private static VersionRow versionRow(ResultSet rs) throws SQLException {
        return new VersionRow(rs.getString("version"), rs.getLong("seq"), rs.getBytes("sealed_value"),
                rs.getString("content_type"), rs.getBoolean("enabled"), rs.getObject("not_before", Long.class),
                rs.getObject("expires", Long.class), rs.getLong("created"), rs.getLong("updated"),
                rs.getString("tags"));
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    /** The store failed (database unreachable, constraint violated); the request gets a 500, never a guess. */
    public static final class StoreException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        StoreException(SQLException cause) {
            super("secret store failed: " + cause.getMessage(), cause);
        }
    }
}
