package dev.moat.vault.keys;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.vault.store.Jdbc;
import dev.moat.vault.store.VaultObjectRows;
import dev.moat.vault.store.VaultObjectTables;

/**
 * JDBC access to the tables of keys ({@code V50__keys.sql}): what is a key's own (its public key, its sealed private
 * key, {@code key_ops}, whether a certificate manages it, its rotation policy); the rest is {@link VaultObjectRows}.
 * Runs on the caller's connection (but {@link #rotationPolicies}), so that {@link KeyService} composes one
 * transaction per operation. Holds private keys only sealed.
 */
@ApplicationScoped
public class KeyRepository {

    /** A key row. Dates are epoch seconds; {@code deletedAt} is null for a live key. */
    public record KeyRow(String name, String nameKey, String latestVersion, boolean managed, Long deletedAt,
            Long scheduledPurgeAt) implements VaultObjectRows.ObjectRow {
    }

    /** A version row. {@code tags} is a JSON object, {@code keyOps} JWK names joined by commas. */
    public record VersionRow(String version, long seq, byte[] publicKey, byte[] sealedPrivate, String keyOps,
            boolean enabled, Long notBefore, Long expires, long created, long updated, String tags)
            implements VaultObjectRows.VersionRow {

        @Override
        public String toString() {
            return "VersionRow[" + version + ", sealed private key]";
        }
    }

    /** A stored rotation policy; {@code actions} is the JSON of its lifetime actions. */
    record PolicyRow(String vault, String nameKey, String expiryTime, String actions, long created, long updated) {
    }

    static final VaultObjectRows<KeyRow, VersionRow> ROWS = new VaultObjectRows<>(VaultObjectTables.KEYS,
            "o.name, o.name_key, o.latest_version, o.managed, o.deleted_at, o.scheduled_purge_at", "v.version, v.seq, "
                    + "v.public_key, v.sealed_private, v.key_ops, v.enabled, v.not_before, v.expires, v.created, "
                    + "v.updated, v.tags", KeyRepository::keyRow, KeyRepository::versionRow);

    private static final String POLICY_COLUMNS = "vault, name_key, expiry_time, lifetime_actions, created, updated";

    private final DataSource dataSource;

    public KeyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The database, for the key lifecycle and the leased jobs over keys. */
    DataSource dataSource() {
        return dataSource;
    }

    void insertKey(Connection c, String vault, String nameKey, String name, String latestVersion, boolean managed)
            throws SQLException {
        Jdbc.update(c, "INSERT INTO vault_key (vault, name_key, name, latest_version, managed) VALUES (?, ?, ?, ?, ?)",
                vault, nameKey, name, latestVersion, managed);
    }

    void insertVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        Jdbc.update(c, "INSERT INTO vault_key_version (vault, name_key, version, public_key, sealed_private, key_ops, "
                + "enabled, not_before, expires, created, updated, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                vault, nameKey, row.version(), row.publicKey(), row.sealedPrivate(), row.keyOps(), row.enabled(),
                row.notBefore(), row.expires(), row.created(), row.updated(), row.tags());
    }

    void updateVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        Jdbc.update(c, "UPDATE vault_key_version SET key_ops = ?, enabled = ?, not_before = ?, expires = ?, "
                + "updated = ?, tags = ? WHERE vault = ? AND name_key = ? AND version = ?", row.keyOps(),
                row.enabled(), row.notBefore(), row.expires(), row.updated(), row.tags(), vault, nameKey,
                row.version());
    }

    Optional<PolicyRow> rotationPolicy(Connection c, String vault, String nameKey) throws SQLException {
        return Jdbc.one(c, "SELECT " + POLICY_COLUMNS + " FROM key_rotation_policy WHERE vault = ? AND name_key = ?",
                KeyRepository::policyRow, vault, nameKey);
    }

    void putRotationPolicy(Connection c, PolicyRow row) throws SQLException {
        Jdbc.update(c, "DELETE FROM key_rotation_policy WHERE vault = ? AND name_key = ?", row.vault(),
                row.nameKey());
        Jdbc.update(c, "INSERT INTO key_rotation_policy (" + POLICY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                row.vault(), row.nameKey(), row.expiryTime(), row.actions(), row.created(), row.updated());
    }

    /** Every rotation policy that has a Rotate action (checked by the caller), with its key. */
    List<PolicyRow> rotationPolicies() {
        return Jdbc.inTransaction(dataSource, "key store", c -> Jdbc.list(c, "SELECT " + POLICY_COLUMNS
                + " FROM key_rotation_policy WHERE lifetime_actions LIKE '%Rotate%'", KeyRepository::policyRow));
    }

    private static PolicyRow policyRow(ResultSet rs) throws SQLException {
        return new PolicyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getLong(6));
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
}
