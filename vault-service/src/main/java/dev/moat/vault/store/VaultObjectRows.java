package dev.moat.vault.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The rows of one type of vault object, read the same way for secrets, keys and certificates: the object row by name
 * key (aliased {@code o}), a version, a page of versions in creation order, a page of live or soft-deleted objects
 * with their latest version. Each type names only its own columns and how a row becomes its record.
 *
 * @param tables the object and version tables
 * @param objectColumns the object table's columns, each prefixed {@code o.}
 * @param versionColumns the version table's columns, each prefixed {@code v.}, {@code v.version} among them
 */
public record VaultObjectRows<O extends VaultObjectRows.ObjectRow, V extends VaultObjectRows.VersionRow>(
        VaultObjectTables tables, String objectColumns, String versionColumns, Jdbc.Reader<O> objectReader,
        Jdbc.Reader<V> versionReader) {

    /** What every object row has. Dates are epoch seconds; {@code deletedAt} is null while the object is live. */
    public interface ObjectRow {
        String name();

        String nameKey();

        String latestVersion();

        Long deletedAt();

        Long scheduledPurgeAt();
    }

    /** What every version row has: its version and its place in creation order. */
    public interface VersionRow {
        String version();

        long seq();
    }

    /** An object with its latest version, as lists show it. */
    public record Listed<O, V>(O object, V latest) {
    }

    /** An object with one of its versions, read together; {@code version} null when the object has no such version. */
    public record Found<O, V>(O object, V version) {
    }

    public Optional<O> object(Connection c, String vault, String nameKey, boolean forUpdate) throws SQLException {
        return Jdbc.one(c, "SELECT " + objectColumns + " FROM " + tables.table() + " o WHERE o.vault = ? AND "
                + "o.name_key = ?" + (forUpdate ? " FOR UPDATE" : ""), objectReader, vault, nameKey);
    }

    public Optional<V> version(Connection c, String vault, String nameKey, String version) throws SQLException {
        return Jdbc.one(c, "SELECT " + versionColumns + " FROM " + tables.versionTable() + " v WHERE v.vault = ? AND "
                + "v.name_key = ? AND v.version = ?", versionReader, vault, nameKey, version);
    }

    /**
     * An object and one of its versions, its latest when {@code version} is null, in one query: empty when there is no
     * such object.
     */
    public Optional<Found<O, V>> objectWithVersion(Connection c, String vault, String nameKey, String version)
            throws SQLException {
        String sql = "SELECT " + objectColumns + ", " + versionColumns + " FROM " + tables.table() + " o LEFT JOIN "
                + tables.versionTable() + " v ON v.vault = o.vault AND v.name_key = o.name_key AND v.version = "
                + (version == null ? "o.latest_version" : "?") + " WHERE o.vault = ? AND o.name_key = ?";
        Jdbc.Reader<Found<O, V>> reader = rs -> new Found<>(objectReader.read(rs),
                rs.getString("version") == null ? null : versionReader.read(rs));
        return version == null ? Jdbc.one(c, sql, reader, vault, nameKey)
                : Jdbc.one(c, sql, reader, version, vault, nameKey);
    }

    /** Versions of an object in creation order, after {@code afterSeq}, at most {@code limit}. */
    public List<V> versions(Connection c, String vault, String nameKey, long afterSeq, int limit)
            throws SQLException {
        return Jdbc.list(c, tables.versionsSql(versionColumns), versionReader, vault, nameKey, afterSeq, limit);
    }

    /** Live or soft-deleted objects of a vault with their latest version, by name key after {@code afterKey}. */
    public List<Listed<O, V>> list(Connection c, String vault, boolean deleted, String afterKey, int limit)
            throws SQLException {
        return Jdbc.list(c, tables.listSql("o", objectColumns, versionColumns, deleted),
                rs -> new Listed<>(objectReader.read(rs), versionReader.read(rs)), vault, afterKey, limit);
    }

    public void setLatest(Connection c, String vault, String nameKey, String version) throws SQLException {
        Jdbc.update(c, "UPDATE " + tables.table() + " SET latest_version = ? WHERE vault = ? AND name_key = ?",
                version, vault, nameKey);
    }

    /**
     * Locks the vault's row until the transaction ends, so that concurrent requests create a vault's data key, or a
     * new object name, one after the other.
     */
    public static void lockVault(Connection c, String vault) throws SQLException {
        Jdbc.list(c, "SELECT name FROM vault WHERE name = ? FOR UPDATE", rs -> rs.getString(1), vault);
    }
}
