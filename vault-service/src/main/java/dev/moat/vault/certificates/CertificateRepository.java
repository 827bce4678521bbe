package dev.moat.vault.certificates;

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
 * JDBC access to the tables of certificates ({@code V51__certificates.sql}). Every method but {@link #inTransaction}
 * runs on the caller's connection, so that {@link CertificateService} composes one transaction per operation, with
 * the certificate's managed key in it.
 */
@ApplicationScoped
public class CertificateRepository {

    /** A certificate row; {@code policy} is JSON, dates epoch seconds, {@code deletedAt} null while live. */
    record CertRow(String name, String nameKey, String latestVersion, String policy, long policyCreated,
            long policyUpdated, Long deletedAt, Long scheduledPurgeAt) {
    }

    record VersionRow(String version, long seq, byte[] cer, String secretVersion, boolean enabled, long created,
            long updated, String tags) {
    }

    record OperationRow(String name, String requestId, String status, String statusDetails, String errorCode,
            String errorMessage, String request, long created) {
    }

    record Listed(CertRow certificate, VersionRow latest) {
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final String CERT_COLUMNS = "c.name, c.name_key, c.latest_version, c.policy, c.policy_created, "
            + "c.policy_updated, c.deleted_at, c.scheduled_purge_at";
    private static final String VERSION_COLUMNS = "v.version, v.seq, v.cer, v.secret_version, v.enabled, v.created, "
            + "v.updated, v.tags";

    static final VaultObjectTables TABLES = VaultObjectTables.CERTIFICATES;

    private final DataSource dataSource;

    public CertificateRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

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
            throw new IllegalStateException("certificate store failed: " + e.getMessage(), e);
        }
    }

    Optional<CertRow> certificate(Connection c, String vault, String nameKey, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + CERT_COLUMNS + " FROM certificate c WHERE c.vault = ? "
                + "AND c.name_key = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, vault);
            s.setString(2, nameKey);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(certRow(rs)) : Optional.empty();
            }
        }
    }

    void insertCertificate(Connection c, String vault, String nameKey, CertRow row) throws SQLException {
        update(c, "INSERT INTO certificate (vault, name_key, name, latest_version, policy, policy_created, "
                + "policy_updated) VALUES (?, ?, ?, ?, ?, ?, ?)", vault, nameKey, row.name(), row.latestVersion(),
                row.policy(), row.policyCreated(), row.policyUpdated());
    }

    void setLatest(Connection c, String vault, String nameKey, String version, String policy, long policyUpdated)
            throws SQLException {
        update(c, "UPDATE certificate SET latest_version = ?, policy = ?, policy_updated = ? WHERE vault = ? AND "
                + "name_key = ?", version, policy, policyUpdated, vault, nameKey);
    }

    void setPolicy(Connection c, String vault, String nameKey, String policy, long updated) throws SQLException {
        update(c, "UPDATE certificate SET policy = ?, policy_updated = ? WHERE vault = ? AND name_key = ?", policy,
                updated, vault, nameKey);
    }

    /** Soft-deletes a certificate, or recovers it when {@code deletedAt} is null. */
    void markDeleted(Connection c, String vault, String nameKey, Long deletedAt, Long purgeAt) throws SQLException {
        if (deletedAt == null) {
            TABLES.markRecovered(c, vault, nameKey);
        } else {
            TABLES.markDeleted(c, vault, nameKey, deletedAt, purgeAt);
        }
    }

    void deleteCertificate(Connection c, String vault, String nameKey) throws SQLException {
        TABLES.remove(c, vault, nameKey);
        update(c, "DELETE FROM certificate_operation WHERE vault = ? AND name_key = ?", vault, nameKey);
    }

    void insertVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        update(c, "INSERT INTO certificate_version (vault, name_key, version, cer, secret_version, enabled, created, "
                + "updated, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", vault, nameKey, row.version(), row.cer(),
                row.secretVersion(), row.enabled(), row.created(), row.updated(), row.tags());
    }

    void updateVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        update(c, "UPDATE certificate_version SET enabled = ?, updated = ?, tags = ? WHERE vault = ? AND name_key = ? "
                + "AND version = ?", row.enabled(), row.updated(), row.tags(), vault, nameKey, row.version());
    }

    Optional<VersionRow> version(Connection c, String vault, String nameKey, String version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM certificate_version v "
                + "WHERE v.vault = ? AND v.name_key = ? AND v.version = ?")) {
            s.setString(1, vault);
            s.setString(2, nameKey);
            s.setString(3, version);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(versionRow(rs)) : Optional.empty();
            }
        }
    }

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

    List<Listed> list(Connection c, String vault, boolean deleted, String afterKey, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(TABLES.listSql("c", CERT_COLUMNS, VERSION_COLUMNS, deleted))) {
            s.setString(1, vault);
            s.setString(2, afterKey);
            s.setInt(3, limit);
            List<Listed> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Listed(certRow(rs), versionRow(rs)));
                }
            }
            return rows;
        }
    }

    Optional<OperationRow> operation(Connection c, String vault, String nameKey, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name, request_id, status, status_details, error_code, "
                + "error_message, request, created FROM certificate_operation WHERE vault = ? AND name_key = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, vault);
            s.setString(2, nameKey);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new OperationRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8)))
                        : Optional.empty();
            }
        }
    }

    void putOperation(Connection c, String vault, String nameKey, OperationRow row) throws SQLException {
        update(c, "DELETE FROM certificate_operation WHERE vault = ? AND name_key = ?", vault, nameKey);
        update(c, "INSERT INTO certificate_operation (vault, name_key, name, request_id, status, status_details, "
                + "error_code, error_message, request, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", vault, nameKey,
                row.name(), row.requestId(), row.status(), row.statusDetails(), row.errorCode(), row.errorMessage(),
                row.request(), row.created());
    }

    void finishOperation(Connection c, String vault, String nameKey, String status, String details, String errorCode,
            String errorMessage) throws SQLException {
        update(c, "UPDATE certificate_operation SET status = ?, status_details = ?, error_code = ?, error_message = ? "
                + "WHERE vault = ? AND name_key = ?", status, details, errorCode, errorMessage, vault, nameKey);
    }

    /** Operations in progress, as job items ({@code vault/name_key}), oldest first, at most {@code limit}. */
    List<String> inProgress(int limit) {
        return inTransaction(c -> {
            List<String> items = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT vault, name_key FROM certificate_operation "
                    + "WHERE status = 'inProgress' ORDER BY created FETCH FIRST ? ROWS ONLY")) {
                s.setInt(1, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        items.add(VaultObjectTables.item(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return items;
        });
    }

    /** Purges the soft-deleted certificates whose purge date has come, each once across replicas. @return how many */
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

    private static CertRow certRow(ResultSet rs) throws SQLException {
        return new CertRow(rs.getString("name"), rs.getString("name_key"), rs.getString("latest_version"),
                rs.getString("policy"), rs.getLong("policy_created"), rs.getLong("policy_updated"),
                rs.getObject("deleted_at", Long.class), rs.getObject("scheduled_purge_at", Long.class));
    }

    private static VersionRow versionRow(ResultSet rs) throws SQLException {
        return new VersionRow(rs.getString("version"), rs.getLong("seq"), rs.getBytes("cer"),
                rs.getString("secret_version"), rs.getBoolean("enabled"), rs.getLong("created"),
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
