package dev.moat.vault.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

/**
 * The lifecycle that secrets, keys and certificates share, written once over their tables: an object table keyed by
 * {@code (vault, name_key)} with {@code latest_version}, {@code deleted_at} and {@code scheduled_purge_at}, and a
 * version table with the same key plus {@code version} and a creation-ordered {@code seq}. Soft delete, recover,
 * removal, the paging queries and the scheduled purge ({@link #purgeJob}) are here; each object type adds only its
 * own columns.
 *
 * @param table the object table ({@code secret}, {@code vault_key}, {@code certificate})
 * @param versionTable its version table
 */
public record VaultObjectTables(String table, String versionTable) {

    public static final VaultObjectTables SECRETS = new VaultObjectTables("secret", "secret_version");
    public static final VaultObjectTables KEYS = new VaultObjectTables("vault_key", "vault_key_version");
    public static final VaultObjectTables CERTIFICATES = new VaultObjectTables("certificate", "certificate_version");

    /** Soft-deletes an object: recoverable until {@code purgeAt} (epoch seconds), then purged. */
    public void markDeleted(Connection c, String vault, String nameKey, long deletedAt, long purgeAt)
            throws SQLException {
        Jdbc.update(c, "UPDATE " + table + " SET deleted_at = ?, scheduled_purge_at = ? WHERE vault = ? AND name_key = ?",
                deletedAt, purgeAt, vault, nameKey);
    }

    public void markRecovered(Connection c, String vault, String nameKey) throws SQLException {
        Jdbc.update(c, "UPDATE " + table + " SET deleted_at = NULL, scheduled_purge_at = NULL WHERE vault = ? AND "
                + "name_key = ?", vault, nameKey);
    }

    /** Removes an object and (by cascade) all its versions. */
    public void remove(Connection c, String vault, String nameKey) throws SQLException {
        Jdbc.update(c, "DELETE FROM " + table + " WHERE vault = ? AND name_key = ?", vault, nameKey);
    }

    /**
     * A page of live (or soft-deleted) objects of a vault with their latest version, by name key after a key; the
     * parameters are the vault, the name key to start after and the page size. The object table is aliased
     * {@code alias}, the version table {@code v}.
     */
    public String listSql(String alias, String objectColumns, String versionColumns, boolean deleted) {
        return "SELECT " + objectColumns + ", " + versionColumns + " FROM " + table + " " + alias + " JOIN "
                + versionTable + " v ON v.vault = " + alias + ".vault AND v.name_key = " + alias + ".name_key AND "
                + "v.version = " + alias + ".latest_version WHERE " + alias + ".vault = ? AND " + alias
                + ".deleted_at IS " + (deleted ? "NOT NULL" : "NULL") + " AND " + alias + ".name_key > ? ORDER BY "
                + alias + ".name_key FETCH FIRST ? ROWS ONLY";
    }

    /**
     * A page of an object's versions in creation order: parameters vault, name key, the {@code seq} to start after
     * and the page size. The version table is aliased {@code v}.
     */
    public String versionsSql(String versionColumns) {
        return "SELECT " + versionColumns + " FROM " + versionTable + " v WHERE v.vault = ? AND v.name_key = ? AND "
                + "v.seq > ? ORDER BY v.seq FETCH FIRST ? ROWS ONLY";
    }

    /** The job that purges this table's soft-deleted objects once their {@code scheduled_purge_at} has passed. */
    public LeasedJob purgeJob(DataSource dataSource, Clock clock) {
        return new Purge(dataSource, clock);
    }

    /** Purges every soft-deleted object of this table whose purge date has come. @return how many */
    public int purgeDue(DataSource dataSource, Clock clock) {
        return JobRunner.on(dataSource, clock).run(purgeJob(dataSource, clock));
    }

    /** An item of a job over vault objects: {@code vault/name_key} (neither contains a slash). */
    public static String item(String vault, String nameKey) {
        return vault + "/" + nameKey;
    }

    /** The {@code [vault, name_key]} of an {@link #item}. */
    public static String[] split(String item) {
        int slash = item.indexOf('/');
        return new String[] {item.substring(0, slash), item.substring(slash + 1)};
    }

    private final class Purge implements LeasedJob {

        private final DataSource dataSource;
        private final Clock clock;

        Purge(DataSource dataSource, Clock clock) {
            this.dataSource = dataSource;
            this.clock = clock;
        }

        @Override
        public String name() {
            return "purge-" + table;
        }

        @Override
        public List<String> due(int limit) {
            return Jdbc.autoCommit(dataSource, "listing " + table + " rows due for purge", c -> Jdbc.list(c,
                    "SELECT vault, name_key FROM " + table + " WHERE deleted_at IS NOT NULL AND scheduled_purge_at <= ? "
                            + "ORDER BY scheduled_purge_at FETCH FIRST ? ROWS ONLY",
                    rs -> item(rs.getString(1), rs.getString(2)), clock.instant().getEpochSecond(), limit));
        }

        @Override
        public boolean process(String item, Lease lease) {
            String[] key = split(item);
            return JobLeases.applyOnce(dataSource, lease, c -> Jdbc.update(c, "DELETE FROM " + table + " WHERE vault = ? "
                    + "AND name_key = ? AND deleted_at IS NOT NULL AND scheduled_purge_at <= ?", key[0], key[1],
                    clock.instant().getEpochSecond()) == 1);
        }
    }
}
