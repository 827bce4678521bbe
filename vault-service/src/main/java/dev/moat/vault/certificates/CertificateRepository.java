package dev.moat.vault.certificates;

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
 * JDBC access to the tables of certificates ({@code V51__certificates.sql}): what is a certificate's own (its policy,
 * its DER, the version of its secret, its pending create operation); the rest is {@link VaultObjectRows}. Runs on the
 * caller's connection (but {@link #inProgress}), so that {@link CertificateService} composes one transaction per
 * operation, with the certificate's managed key in it.
 */
@ApplicationScoped
public class CertificateRepository {

    /** A certificate row; {@code policy} is JSON, dates epoch seconds, {@code deletedAt} null while live. */
    record CertRow(String name, String nameKey, String latestVersion, String policy, long policyCreated,
            long policyUpdated, Long deletedAt, Long scheduledPurgeAt) implements VaultObjectRows.ObjectRow {
    }

    record VersionRow(String version, long seq, byte[] cer, String secretVersion, boolean enabled, long created,
            long updated, String tags) implements VaultObjectRows.VersionRow {
    }

    record OperationRow(String name, String requestId, String status, String statusDetails, String errorCode,
            String errorMessage, String request, long created) {
    }

    static final VaultObjectRows<CertRow, VersionRow> ROWS = new VaultObjectRows<>(VaultObjectTables.CERTIFICATES,
            "o.name, o.name_key, o.latest_version, o.policy, o.policy_created, o.policy_updated, o.deleted_at, "
                    + "o.scheduled_purge_at", "v.version, v.seq, v.cer, v.secret_version, v.enabled, v.created, "
                    + "v.updated, v.tags", CertificateRepository::certRow, CertificateRepository::versionRow);

    private static final String OPERATION_COLUMNS = "name, request_id, status, status_details, error_code, "
            + "error_message, request, created";

    private final DataSource dataSource;

    public CertificateRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The database, for the certificate lifecycle and the leased jobs over certificates. */
    DataSource dataSource() {
        return dataSource;
    }

    void insertCertificate(Connection c, String vault, String nameKey, CertRow row) throws SQLException {
        Jdbc.update(c, "INSERT INTO certificate (vault, name_key, name, latest_version, policy, policy_created, "
                + "policy_updated) VALUES (?, ?, ?, ?, ?, ?, ?)", vault, nameKey, row.name(), row.latestVersion(),
                row.policy(), row.policyCreated(), row.policyUpdated());
    }

    void setLatest(Connection c, String vault, String nameKey, String version, String policy, long policyUpdated)
            throws SQLException {
        ROWS.setLatest(c, vault, nameKey, version);
        setPolicy(c, vault, nameKey, policy, policyUpdated);
    }

    void setPolicy(Connection c, String vault, String nameKey, String policy, long updated) throws SQLException {
        Jdbc.update(c, "UPDATE certificate SET policy = ?, policy_updated = ? WHERE vault = ? AND name_key = ?",
                policy, updated, vault, nameKey);
    }

    void insertVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        Jdbc.update(c, "INSERT INTO certificate_version (vault, name_key, version, cer, secret_version, enabled, "
                + "created, updated, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", vault, nameKey, row.version(),
                row.cer(), row.secretVersion(), row.enabled(), row.created(), row.updated(), row.tags());
    }

    void updateVersion(Connection c, String vault, String nameKey, VersionRow row) throws SQLException {
        Jdbc.update(c, "UPDATE certificate_version SET enabled = ?, updated = ?, tags = ? WHERE vault = ? AND "
                + "name_key = ? AND version = ?", row.enabled(), row.updated(), row.tags(), vault, nameKey,
                row.version());
    }

    Optional<OperationRow> operation(Connection c, String vault, String nameKey, boolean forUpdate)
            throws SQLException {
        return Jdbc.one(c, "SELECT " + OPERATION_COLUMNS + " FROM certificate_operation WHERE vault = ? AND "
                + "name_key = ?" + (forUpdate ? " FOR UPDATE" : ""), rs -> new OperationRow(rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getLong(8)), vault, nameKey);
    }

    void putOperation(Connection c, String vault, String nameKey, OperationRow row) throws SQLException {
        removeOperation(c, vault, nameKey);
        Jdbc.update(c, "INSERT INTO certificate_operation (vault, name_key, " + OPERATION_COLUMNS + ") VALUES (?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?)", vault, nameKey, row.name(), row.requestId(), row.status(),
                row.statusDetails(), row.errorCode(), row.errorMessage(), row.request(), row.created());
    }

    void removeOperation(Connection c, String vault, String nameKey) throws SQLException {
        Jdbc.update(c, "DELETE FROM certificate_operation WHERE vault = ? AND name_key = ?", vault, nameKey);
    }

    void finishOperation(Connection c, String vault, String nameKey, String status, String details, String errorCode,
            String errorMessage) throws SQLException {
        Jdbc.update(c, "UPDATE certificate_operation SET status = ?, status_details = ?, error_code = ?, "
                + "error_message = ? WHERE vault = ? AND name_key = ?", status, details, errorCode, errorMessage,
                vault, nameKey);
    }

    /** Operations in progress, as job items ({@code vault/name_key}), oldest first, at most {@code limit}. */
    List<String> inProgress(int limit) {
        return Jdbc.inTransaction(dataSource, "certificate store", c -> Jdbc.list(c, "SELECT vault, name_key FROM "
                + "certificate_operation WHERE status = 'inProgress' ORDER BY created FETCH FIRST ? ROWS ONLY",
                rs -> VaultObjectTables.item(rs.getString(1), rs.getString(2)), limit));
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
}
