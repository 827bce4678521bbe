package dev.moat.vault.certificates;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.certificates.CertificateRepository.CertRow;
import dev.moat.vault.certificates.CertificateRepository.OperationRow;
import dev.moat.vault.certificates.CertificateRepository.VersionRow;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.keys.Curve;
import dev.moat.vault.keys.KeyMaterial;
import dev.moat.vault.keys.KeyRules;
import dev.moat.vault.keys.KeyService;
import dev.moat.vault.objects.Backups;
import dev.moat.vault.objects.Deleted;
import dev.moat.vault.objects.Lifecycle;
import dev.moat.vault.objects.ObjectNames;
import dev.moat.vault.objects.Page;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.objects.VaultObjectService;
import dev.moat.vault.secrets.Secret;
import dev.moat.vault.secrets.SecretPatch;
import dev.moat.vault.secrets.SecretService;
import dev.moat.vault.secrets.SecretWrite;
import dev.moat.vault.store.JobLeases;
import dev.moat.vault.store.JobRunner;
import dev.moat.vault.store.Lease;
import dev.moat.vault.store.LeasedJob;
import dev.moat.vault.store.VaultObjectTables;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultStore;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The rules of Key Vault certificates. A create records a pending operation and answers at once; the worker pool makes
 * the key and the self-signed certificate and completes the operation, once across replicas (a leased job; operations
 * left in progress by a stop or a dead replica are finished by the scheduled sweep, {@link #finishPending}). Each
 * version is stored with its managed key (same name and version) and its secret, the PFX or PEM, in one transaction.
 */
@ApplicationScoped
public class CertificateService extends VaultObjectService<CertRow, VersionRow, CertificateBundle> {

    record BackupDocument(String kind, int format, String name, String latestVersion, CertificatePolicy policy,
            long policyCreated, List<BackupVersion> versions) implements Backups.Document {
    }

    record BackupVersion(String version, byte[] cer, byte[] privateKey, boolean enabled, long created, long updated,
            Map<String, String> tags) implements Backups.PrivateVersion {

        @Override
        public String toString() {
            return "BackupVersion[" + version + ", private key redacted]";
        }
    }

    static final String IN_PROGRESS = "inProgress";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";
    private static final String BACKUP_KIND = "moat.certificate";
    private static final Logger LOG = Logger.getLogger(CertificateService.class);

    private final CertificateRepository store;
    private final KeyService keys;
    private final SecretService secrets;
    private final Clock clock = Clock.systemUTC();
    private final LeasedJob pendingJob;

    @Inject
    public CertificateService(CertificateRepository store, KeyService keys, SecretService secrets, VaultStore vaults,
            MasterKeyRing masterKey, ObjectMapper json) {
        super(new Lifecycle<>("certificate", "CertificateNotFound", CertificateRepository.ROWS, store.dataSource(),
                masterKey, json, Clock.systemUTC(), new Lifecycle.Rules<>() {
                    @Override
                    public void deleted(Connection c, Vault vault, CertRow cert, Long deletedAt, Long purgeAt)
                            throws SQLException {
                        keys.setManagedDeleted(c, vault, cert.name(), deletedAt, purgeAt);
                    }

                    @Override
                    public void removed(Connection c, Vault vault, CertRow cert) throws SQLException {
                        store.removeOperation(c, vault.name(), cert.nameKey());
                        keys.purgeManaged(c, vault, cert.name());
                    }
                }));
        this.store = store;
        this.keys = keys;
        this.secrets = secrets;
        this.pendingJob = new PendingCertificates(this, store, vaults);
    }

    /** Starts making a self-signed certificate (a new one, or a new version): the pending operation, in progress. */
    public PendingCertificate create(Vault vault, String name, CertificateRequest request) {
        String key = objects.nameKey(name);
        if (request.policy() == null) {
            throw VaultObjectException.badParameter("The request has no 'policy': creating a certificate needs its policy "
                    + "(x509_props.subject and issuer.name Self at least).");
        }
        request.policy().validate(true);
        KeyRules.tags(request.tags());
        OperationRow row = new OperationRow(name, ObjectNames.newVersion(), IN_PROGRESS, "Pending certificate created. "
                + "Certificate request is in progress. This may take some time based on the issuer provider. Please "
                + "check again later.", null, null, objects.write(request), now());
        PendingCertificate pending = objects.inTransaction(c -> {
            Optional<CertRow> existing = CertificateRepository.ROWS.object(c, vault.name(), key, true);
            existing.filter(cert -> cert.deletedAt() != null).ifPresent(cert -> {
                throw objects.deletedButRecoverable(cert.name());
            });
            Optional<OperationRow> running = store.operation(c, vault.name(), key, true);
            if (running.isPresent() && IN_PROGRESS.equals(running.get().status())) {
                throw VaultObjectException.conflict("Certificate " + name + " has a create operation in progress: wait for "
                        + "it (GET /certificates/" + name + "/pending) before starting another.", "Conflict");
            }
            OperationRow named = existing.map(cert -> withName(row, cert.name())).orElse(row);
            store.putOperation(c, vault.name(), key, named);
            return pending(named, request.policy().issuerName());
        });
        // begun at once on this replica's worker pool; the scheduled sweep (finishPending) catches what a stop left
        Infrastructure.getDefaultWorkerPool().execute(() -> complete(vault.name(), key));
        return pending;
    }

    private static OperationRow withName(OperationRow row, String name) {
        return new OperationRow(name, row.requestId(), row.status(), row.statusDetails(), row.errorCode(),
                row.errorMessage(), row.request(), row.created());
    }

    /** Finishes a pending create now, unless another runner holds it (then that runner finishes it). */
    void complete(String vaultName, String key) {
        JobRunner.on(store.dataSource(), clock).runItem(pendingJob, VaultObjectTables.item(vaultName, key));
    }

    /** Finishes every pending create that no runner holds (those a stop or a dead replica left). @return how many */
    public int finishPending() {
        return JobRunner.on(store.dataSource(), clock).run(pendingJob);
    }

    /** Imports a PFX or PEM (with its private key) as a new certificate or a new version. */
    public CertificateBundle importCertificate(Vault vault, String name, CertificateRequest request) {
        String key = objects.nameKey(name);
        KeyRules.tags(request.tags());
        X509.Parsed parsed = X509.parse(request.value(), request.password());
        X509Certificate leaf = parsed.chain().get(0);
        KeyMaterial material = KeyMaterial.fromPair(leaf.getPublicKey(), parsed.key());
        boolean pem = X509.isPem(request.value());
        CertificatePolicy policy = X509.policyOf(leaf, material, request.policy(), pem);
        policy.validate(false);
        objects.inTransaction(c -> {
            CertificateRepository.ROWS.object(c, vault.name(), key, false).filter(cert -> cert.deletedAt() != null)
                    .ifPresent(cert -> {
                        throw objects.deletedButRecoverable(cert.name());
                    });
            return null;
        });
        String version = ObjectNames.newVersion();
        store(vault, name, version, material, parsed.chain(), policy,
                request.enabled() == null || request.enabled(), request.tags());
        return get(vault, name, version);
    }

    /** Writes a version: its secret first, then the certificate and its managed key in one transaction. */
    private void store(Vault vault, String name, String version, KeyMaterial material, List<X509Certificate> chain,
            CertificatePolicy policy, boolean enabled, Map<String, String> tags) {
        objects.inTransaction(c -> {
            store(c, vault, name, version, material, chain, policy, enabled, tags);
            return null;
        });
    }

    /** Stores a version with its secret (the PFX or PEM) and its managed key, inside the caller's transaction. */
    void store(Connection c, Vault vault, String name, String version, KeyMaterial material,
            List<X509Certificate> chain, CertificatePolicy policy, boolean enabled, Map<String, String> tags)
            throws SQLException {
        String key = objects.nameKey(name);
        X509Certificate leaf = chain.get(0);
        long notBefore = leaf.getNotBefore().toInstant().getEpochSecond();
        long expires = leaf.getNotAfter().toInstant().getEpochSecond();
        Secret secret = secrets.set(c, vault, name, new SecretWrite(X509.secretValue(policy.contentType(), name,
                material.privateKey(), chain), policy.contentType(), tags, enabled, notBefore, expires));
        long now = now();
        String policyJson = objects.write(policy);
        Optional<CertRow> existing = CertificateRepository.ROWS.object(c, vault.name(), key, true);
        if (existing.isPresent()) {
            store.setLatest(c, vault.name(), key, version, policyJson, now);
        } else {
            store.insertCertificate(c, vault.name(), key, new CertRow(name, key, version, policyJson, now, now,
                    null, null));
        }
        store.insertVersion(c, vault.name(), key, new VersionRow(version, 0, X509.der(leaf),
                secret.properties().version(), enabled, now, now, objects.tagsJson(tags)));
        keys.writeManaged(c, vault, existing.map(CertRow::name).orElse(name), version, material, enabled,
                notBefore, expires, tags);
    }

    public PendingCertificate getPending(Vault vault, String name) {
        String key = objects.nameKey(name);
        return objects.inTransaction(c -> store.operation(c, vault.name(), key, false)
                .map(row -> pending(row, read(row.request()).policy().issuerName()))
                .orElseThrow(() -> VaultObjectException.notFound("PendingCertificateNotFound", "Pending certificate not "
                        + "found: " + name)));
    }

    /** The latest version ({@code version} null) or the given one. */
    public CertificateBundle get(Vault vault, String name, String version) {
        return objects.get(vault, name, version, this::bundle);
    }

    public CertificatePolicy getPolicy(Vault vault, String name) {
        return get(vault, name, null).policy();
    }

    /** Changes the policy (what the next versions are made with). */
    public CertificateBundle updatePolicy(Vault vault, String name, UnaryOperator<CertificatePolicy> change) {
        String key = objects.nameKey(name);
        long now = now();
        return objects.inTransaction(c -> {
            CertRow cert = objects.live(c, vault.name(), key, name);
            CertificatePolicy policy = change.apply(objects.read(cert.policy(), CertificatePolicy.class));
            policy.validate(false);
            store.setPolicy(c, vault.name(), key, objects.write(policy), now);
            CertRow updated = new CertRow(cert.name(), key, cert.latestVersion(), objects.write(policy),
                    cert.policyCreated(), now, null, null);
            return bundle(updated, objects.versionOf(c, vault.name(), cert, null, name));
        });
    }

    /** Enables or disables a version (with its key and secret versions) and replaces its tags. */
    public CertificateBundle update(Vault vault, String name, String version, Boolean enabled,
            Map<String, String> tags) {
        if (tags != null) {
            KeyRules.tags(tags);
        }
        long now = now();
        CertificateBundle result = objects.update(vault, name, version, (c, cert, row) -> {
            VersionRow updated = new VersionRow(row.version(), row.seq(), row.cer(), row.secretVersion(),
                    enabled == null ? row.enabled() : enabled, row.created(), now,
                    tags == null ? row.tags() : objects.tagsJson(tags));
            store.updateVersion(c, vault.name(), cert.nameKey(), updated);
            if (enabled != null) {
                keys.setManagedEnabled(c, vault, cert.name(), row.version(), enabled);
            }
            return bundle(cert, updated);
        });
        if (enabled != null) {
            secrets.update(vault, name, result.secretVersion(), new SecretPatch(false, null, enabled, false, null,
                    false, null, null));
        }
        return result;
    }

    /** Soft-deletes a certificate with its key and secret (or purges them at once when soft delete is off). */
    @Override
    public Deleted<CertificateBundle> delete(Vault vault, String name) {
        Deleted<CertificateBundle> deleted = super.delete(vault, name);
        quietly(() -> secrets.delete(vault, name));
        return deleted;
    }

    /** Brings a soft-deleted certificate back with its key and secret. */
    @Override
    public CertificateBundle recover(Vault vault, String name) {
        CertificateBundle recovered = super.recover(vault, name);
        quietly(() -> secrets.recover(vault, name));
        return recovered;
    }

    /** Removes a soft-deleted certificate, its key and its secret for good; refused under purge protection. */
    @Override
    public void purge(Vault vault, String name) {
        super.purge(vault, name);
        quietly(() -> secrets.purge(vault, name));
    }

    /** Every version with its private key and the policy, sealed like every backup (only this installation opens it). */
    public byte[] backup(Vault vault, String name) {
        String key = objects.nameKey(name);
        BackupDocument document = objects.inTransaction(c -> {
            CertRow cert = objects.live(c, vault.name(), key, name);
            List<BackupVersion> versions = new ArrayList<>();
            for (VersionRow v : objects.allVersions(c, vault.name(), key)) {
                KeyMaterial material = keys.openManaged(c, vault, cert.name(), v.version());
                versions.add(new BackupVersion(v.version(), v.cer(), material.pkcs8(), v.enabled(), v.created(),
                        v.updated(), objects.tags(v.tags())));
            }
            return new BackupDocument(BACKUP_KIND, Backups.format(), cert.name(), cert.latestVersion(),
                    objects.read(cert.policy(), CertificatePolicy.class), cert.policyCreated(), versions);
        });
        return objects.backups().sealThenWipe(document, name, document.versions());
    }

    /** Restores every version (with keys and secrets) under a free name. */
    public CertificateBundle restore(Vault vault, byte[] blob) {
        BackupDocument document = objects.backups().open(blob, BackupDocument.class,
                d -> BACKUP_KIND.equals(d.kind()) && d.policy() != null);
        try {
            document.versions().forEach(v -> objects.version(v.version()));
            String key = objects.nameKey(document.name());
            objects.inTransaction(c -> {
                objects.refuseTaken(c, vault.name(), key);
                return null;
            });
            for (BackupVersion v : document.versions()) {
                X509Certificate certificate = X509.certificate(v.cer());
                KeyMaterial material = KeyMaterial.of(v.privateKey(), certificate.getPublicKey().getEncoded());
                store(vault, document.name(), v.version(), material, List.of(certificate), document.policy(),
                        v.enabled(), v.tags());
            }
            return get(vault, document.name(), null);
        } finally {
            Backups.wipe(document.versions());
        }
    }

    /** The secret follows the certificate; when it was already changed by hand, the certificate still goes on. */
    private static void quietly(Runnable secretChange) {
        try {
            secretChange.run();
        } catch (VaultObjectException e) {
            LOG.debugf("the certificate's secret was not changed with it: %s", e.getMessage());
        }
    }

    private PendingCertificate pending(OperationRow row, String issuer) {
        return new PendingCertificate(row.name(), row.requestId(), row.status(), row.statusDetails(), row.errorCode(),
                row.errorMessage(), issuer);
    }

    @Override
    protected CertificateBundle describe(CertRow cert, VersionRow row) {
        return bundle(cert, row);
    }

    private CertificateBundle bundle(CertRow cert, VersionRow row) {
        X509Certificate certificate = X509.certificate(row.cer());
        return new CertificateBundle(cert.name(), row.version(), row.cer(), row.secretVersion(), row.enabled(),
                certificate.getNotBefore().toInstant().getEpochSecond(),
                certificate.getNotAfter().toInstant().getEpochSecond(), row.created(), row.updated(), objects.tags(row.tags()),
                objects.read(cert.policy(), CertificatePolicy.class), cert.policyCreated(), cert.policyUpdated());
    }

    CertificateRequest read(String request) {
        return objects.read(request, CertificateRequest.class);
    }

    private long now() {
        return objects.now();
    }

    /** The lifecycle of certificates, for the parts kept beside this class (the pending creates). */
    Lifecycle<CertRow, VersionRow> lifecycle() {
        return objects;
    }
}
