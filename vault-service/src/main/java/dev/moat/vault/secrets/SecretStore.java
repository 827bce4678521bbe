package dev.moat.vault.secrets;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.vault.store.Jdbc;
import dev.moat.vault.store.VaultObjectRows;
import dev.moat.vault.store.VaultObjectTables;

/**
 * JDBC access to the tables of secrets ({@code V3__secrets.sql}): what is a secret's own (its sealed value and content
 * type); the rest is {@link VaultObjectRows}. Runs on the caller's connection, so that {@link SecretService} composes
 * one transaction per operation. Holds only sealed values.
 */
@ApplicationScoped
public class SecretStore {

    /** A secret row. Dates are epoch seconds; {@code deletedAt} is null for a live secret. */
    record SecretRow(String name, String nameKey, String latestVersion, Long deletedAt, Long scheduledPurgeAt)
            implements VaultObjectRows.ObjectRow {
    }

    /** A version row. {@code tags} is a JSON object. */
    record VersionRow(String version, long seq, byte[] sealedValue, String contentType, boolean enabled, Long notBefore,
            Long expires, long created, long updated, String tags) implements VaultObjectRows.VersionRow {
    }

    static final VaultObjectRows<SecretRow, VersionRow> ROWS = new VaultObjectRows<>(VaultObjectTables.SECRETS,
            "o.name, o.name_key, o.latest_version, o.deleted_at, o.scheduled_purge_at", "v.version, v.seq, "
                    + "v.sealed_value, v.content_type, v.enabled, v.not_before, v.expires, v.created, v.updated, v.tags",
            SecretStore::secretRow, SecretStore::versionRow);

    private final DataSource dataSource;

    public SecretStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    void insertSecret(Connection c, String vault, String nameKey, String name, String latestVersion)
            throws SQLException {
        Jdbc.update(c, "INSERT INTO secret (vault, name_key, name, latest_version) VALUES (?, ?, ?, ?)", vault,
                nameKey, name, latestVersion);
    }

    void insertVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        Jdbc.update(c, "INSERT INTO secret_version (vault, name_key, version, sealed_value, content_type, enabled, "
                + "not_before, expires, created, updated, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", vault,
                nameKey, row.version(), row.sealedValue(), row.contentType(), row.enabled(), row.notBefore(),
                row.expires(), row.created(), row.updated(), row.tags());
    }

    void updateVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        Jdbc.update(c, "UPDATE secret_version SET content_type = ?, enabled = ?, not_before = ?, expires = ?, "
                + "updated = ?, tags = ? WHERE vault = ? AND name_key = ? AND version = ?", row.contentType(),
                row.enabled(), row.notBefore(), row.expires(), row.updated(), row.tags(), vault, nameKey,
                row.version());
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
}
