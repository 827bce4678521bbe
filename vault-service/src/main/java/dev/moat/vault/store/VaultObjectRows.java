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
 * @param versionColumns the version table's columns, each prefixed {@code v.}
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

    public Optional<O> object(Connection c, String vault, String nameKey, boolean forUpdate) throws SQLException {
        return Jdbc.one(c, "SELECT " + objectColumns + " FROM " + tables.table() + " o WHERE o.vault = ? AND "
                + "o.name_key = ?" + (forUpdate ? " FOR UPDATE" : ""), objectReader, vault, nameKey);
    }

    public Optional<V> version(Connection c, String vault, String nameKey, String version) throws SQLException {
        return Jdbc.one(c, "SELECT " + versionColumns + " FROM " + tables.versionTable() + " v WHERE v.vault = ? AND "
                + "v.name_key = ? AND v.version = ?", versionReader, vault, nameKey, version);
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
