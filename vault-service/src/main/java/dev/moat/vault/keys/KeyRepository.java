package dev.moat.vault.keys;

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

import dev.moat.vault.store.JobLeases;
import dev.moat.vault.store.JobRunner;
import dev.moat.vault.store.Lease;
import dev.moat.vault.store.VaultObjectTables;

/**
 * JDBC access to the tables of keys ({@code V50__keys.sql}) and to the vault's wrapped data key
 * ({@code vault_data_key}, shared with secrets). Every method but {@link #inTransaction}, {@link #purgeDue} and {@link #rotationPolicies} runs on
 * the caller's connection, so that {@link KeyService} composes one transaction per operation. Holds private keys only
 * sealed.
 */
@ApplicationScoped
public class KeyRepository {

    /** A key row. Dates are epoch seconds; {@code deletedAt} is null for a live key. */
    public record KeyRow(String name, String nameKey, String latestVersion, boolean managed, Long deletedAt,
            Long scheduledPurgeAt) {
    }

    /** A version row. {@code tags} is a JSON object, {@code keyOps} JWK names joined by commas. */
    public record VersionRow(String version, long seq, byte[] publicKey, byte[] sealedPrivate, String keyOps,
            boolean enabled, Long notBefore, Long expires, long created, long updated, String tags) {

        @Override
        public String toString() {
            return "VersionRow[" + version + ", sealed private key]";
        }
    }

    /** A key with its latest version, as lists show it. */
    public record Listed(KeyRow key, VersionRow latest) {
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final String VERSION_COLUMNS = "v.version, v.seq, v.public_key, v.sealed_private, v.key_ops, "
            + "v.enabled, v.not_before, v.expires, v.created, v.updated, v.tags";
    private static final String KEY_COLUMNS = "k.name, k.name_key, k.latest_version, k.managed, k.deleted_at, "
            + "k.scheduled_purge_at";

    static final VaultObjectTables TABLES = VaultObjectTables.KEYS;

    private final DataSource dataSource;

    public KeyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in one transaction, committed when it returns and rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
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
            throw new IllegalStateException("key store failed: " + e.getMessage(), e);
        }
    }

    /**
     * Locks the vault's row until the transaction ends, so that concurrent requests create a vault's data key, or a
     * new key name, one after the other (the secret store takes the same lock).
     */
    void lockVault(Connection c, String vault) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM vault WHERE name = ? FOR UPDATE")) {
            s.setString(1, vault);
            s.executeQuery().close();
        }
    }

    Optional<KeyRow> key(Connection c, String vault, String nameKey, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM vault_key k WHERE k.vault = ? "
                + "AND k.name_key = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, vault);
            s.setString(2, nameKey);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(keyRow(rs)) : Optional.empty();
            }
        }
    }

    void insertKey(Connection c, String vault, String nameKey, String name, String latestVersion, boolean managed)
            throws SQLException {
        update(c, "INSERT INTO vault_key (vault, name_key, name, latest_version, managed) VALUES (?, ?, ?, ?, ?)",
                vault, nameKey, name, latestVersion, managed);
    }

    void setLatest(Connection c, String vault, String nameKey, String version) throws SQLException {
        update(c, "UPDATE vault_key SET latest_version = ? WHERE vault = ? AND name_key = ?", version, vault, nameKey);
    }

    void markDeleted(Connection c, String vault, String nameKey, long deletedAt, long purgeAt) throws SQLException {
        TABLES.markDeleted(c, vault, nameKey, deletedAt, purgeAt);
    }

    void markRecovered(Connection c, String vault, String nameKey) throws SQLException {
        TABLES.markRecovered(c, vault, nameKey);
    }

    /** Removes a key and (by cascade) all its versions. */
    void deleteKey(Connection c, String vault, String nameKey) throws SQLException {
        TABLES.remove(c, vault, nameKey);
    }

    void insertVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        update(c, "INSERT INTO vault_key_version (vault, name_key, version, public_key, sealed_private, key_ops, "
                + "enabled, not_before, expires, created, updated, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                vault, nameKey, row.version(), row.publicKey(), row.sealedPrivate(), row.keyOps(), row.enabled(),
                row.notBefore(), row.expires(), row.created(), row.updated(), row.tags());
    }

    void updateVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        update(c, "UPDATE vault_key_version SET key_ops = ?, enabled = ?, not_before = ?, expires = ?, updated = ?, "
                + "tags = ? WHERE vault = ? AND name_key = ? AND version = ?", row.keyOps(), row.enabled(),
                row.notBefore(), row.expires(), row.updated(), row.tags(), vault, nameKey, row.version());
    }

    Optional<VersionRow> version(Connection c, String vault, String nameKey, String version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM vault_key_version v "
                + "WHERE v.vault = ? AND v.name_key = ? AND v.version = ?")) {
            s.setString(1, vault);
            s.setString(2, nameKey);
            s.setString(3, version);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(versionRow(rs)) : Optional.empty();
            }
        }
    }

    /** Versions of a key in creation order, after {@code afterSeq}, at most {@code limit}. */
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

    /** Live or soft-deleted keys of a vault with their latest version, by name key after {@code afterKey}. */
    List<Listed> list(Connection c, String vault, boolean deleted, String afterKey, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(TABLES.listSql("k", KEY_COLUMNS, VERSION_COLUMNS, deleted))) {
            s.setString(1, vault);
            s.setString(2, afterKey);
            s.setInt(3, limit);
            List<Listed> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Listed(keyRow(rs), versionRow(rs)));
                }
            }
            return rows;
        }
    }

    /** A stored rotation policy; {@code actions} is the JSON of its lifetime actions. */
    record PolicyRow(String vault, String nameKey, String expiryTime, String actions, long created, long updated) {
    }

    Optional<PolicyRow> rotationPolicy(Connection c, String vault, String nameKey) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT vault, name_key, expiry_time, lifetime_actions, created, "
                + "updated FROM key_rotation_policy WHERE vault = ? AND name_key = ?")) {
            s.setString(1, vault);
            s.setString(2, nameKey);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(policyRow(rs)) : Optional.empty();
            }
        }
    }

    void putRotationPolicy(Connection c, PolicyRow row) throws SQLException {
        update(c, "DELETE FROM key_rotation_policy WHERE vault = ? AND name_key = ?", row.vault(), row.nameKey());
        update(c, "INSERT INTO key_rotation_policy (vault, name_key, expiry_time, lifetime_actions, created, updated) "
                + "VALUES (?, ?, ?, ?, ?, ?)", row.vault(), row.nameKey(), row.expiryTime(), row.actions(),
                row.created(), row.updated());
    }

    /** Every rotation policy that has a Rotate action (checked by the caller), with its key. */
    List<PolicyRow> rotationPolicies() {
        return inTransaction(c -> {
            List<PolicyRow> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT vault, name_key, expiry_time, lifetime_actions, "
                    + "created, updated FROM key_rotation_policy WHERE lifetime_actions LIKE '%Rotate%'");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(policyRow(rs));
                }
            }
            return rows;
        });
    }

    private static PolicyRow policyRow(ResultSet rs) throws SQLException {
        return new PolicyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getLong(6));
    }

    /** Purges the soft-deleted keys whose purge date has come, each once across replicas. @return how many */
    int purgeDue(Clock clock) {
        return TABLES.purgeDue(dataSource, clock);
    }

    /** A runner of leased jobs on this store's database. */
    JobRunner jobs(Clock clock) {
        return JobRunner.on(dataSource, clock);
    }

    /** Applies a leased item's effect in the transaction that ends its lease (see {@link JobLeases#applyOnce}). */
    boolean applyOnce(Lease lease, JobLeases.Effect effect) {
        return JobLeases.applyOnce(dataSource, lease, effect);
    }

    private static KeyRow keyRow(ResultSet rs) throws SQLException {
        return new KeyRow(rs.getString("name"), rs.getString("name_key"), rs.getString("latest_version"),
                rs.getBoolean("managed"), rs.getObject("deleted_at", Long.class),
                rs.getObject("scheduled_purge_at", Long.class));
    }

    private static VersionRow versionRow(ResultSet rs) throws SQLException {
        return new VersionRow(rs.getString("version"), rs.getLong("seq"), rs.getBytes("public_key"),
                rs.getBytes("sealed_private"), rs.getString("key_ops"), rs.getBoolean("enabled"),
                rs.getObject("not_before", Long.class), rs.getObject("expires", Long.class), rs.getLong("created"),
                rs.getLong("updated"), rs.getString("tags"));
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }
}
