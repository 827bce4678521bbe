package dev.moat.vault.certificates;

import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.certificates.CertificateRepository.CertRow;
import dev.moat.vault.certificates.CertificateRepository.Listed;
import dev.moat.vault.certificates.CertificateRepository.OperationRow;
import dev.moat.vault.certificates.CertificateRepository.VersionRow;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.crypto.SealBrokenException;
import dev.moat.vault.keys.Curve;
import dev.moat.vault.keys.KeyMaterial;
import dev.moat.vault.keys.KeyRules;
import dev.moat.vault.keys.KeyService;
import dev.moat.vault.keys.KeysException;
import dev.moat.vault.secrets.Page;
import dev.moat.vault.secrets.Recovery;
import dev.moat.vault.secrets.Secret;
import dev.moat.vault.secrets.SecretPatch;
import dev.moat.vault.secrets.SecretService;
import dev.moat.vault.secrets.SecretWrite;
import dev.moat.vault.secrets.SecretsException;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultStore;
import dev.moat.vault.store.JobLeases;
import dev.moat.vault.store.JobRunner;
import dev.moat.vault.store.Lease;
import dev.moat.vault.store.LeasedJob;
import dev.moat.vault.store.VaultObjectTables;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The rules of Key Vault certificates. A create records a pending operation and answers at once; the worker pool makes
 * the key and the self-signed certificate and completes the operation, once across replicas (a leased job; operations
 * left in progress by a stop or a dead replica are finished by the scheduled sweep, {@link #finishPending}). Each
 * version is stored with its managed key (same name and version) and its secret, the PFX or PEM, in one transaction.
 */
@ApplicationScoped
public class CertificateService {

    record BackupDocument(String kind, int format, String name, String latestVersion, CertificatePolicy policy,
            long policyCreated, List<BackupVersion> versions) {
    }

    record BackupVersion(String version, byte[] cer, byte[] privateKey, boolean enabled, long created, long updated,
            Map<String, String> tags) {

        @Override
        public String toString() {
            return "BackupVersion[" + version + ", private key redacted]";
        }
    }

    static final String IN_PROGRESS = "inProgress";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";
    private static final String BACKUP_KIND = "moat.certificate";
    private static final int BACKUP_FORMAT = 1;
    private static final long DAY = 86_400;
    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {
    };
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(CertificateService.class);

    private final CertificateRepository store;
    private final KeyService keys;
    private final SecretService secrets;
    private final VaultStore vaults;
    private final MasterKeyRing masterKey;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final LeasedJob pendingJob = new PendingOperations();

    @Inject
    public CertificateService(CertificateRepository store, KeyService keys, SecretService secrets, VaultStore vaults,
            MasterKeyRing masterKey, ObjectMapper json) {
        this.store = store;
        this.keys = keys;
        this.secrets = secrets;
        this.vaults = vaults;
        this.masterKey = masterKey;
        this.json = json;
    }

    /** Starts making a self-signed certificate (a new one, or a new version): the pending operation, in progress. */
    public PendingCertificate create(Vault vault, String name, CertificateRequest request) {
        String key = KeyRules.nameKey(name, "certificate");
        if (request.policy() == null) {
            throw KeysException.badParameter("The request has no 'policy': creating a certificate needs its policy "
                    + "(x509_props.subject and issuer.name Self at least).");
        }
        request.policy().validate(true);
        KeyRules.tags(request.tags());
        OperationRow row = new OperationRow(name, newVersion(), IN_PROGRESS, "Pending certificate created. "
                + "Certificate request is in progress. This may take some time based on the issuer provider. Please "
                + "check again later.", null, null, write(request), now());
        PendingCertificate pending = store.inTransaction(c -> {
            Optional<CertRow> existing = store.certificate(c, vault.name(), key, true);
            existing.filter(cert -> cert.deletedAt() != null).ifPresent(cert -> {
                throw deletedButRecoverable(cert.name());
            });
            Optional<OperationRow> running = store.operation(c, vault.name(), key, true);
            if (running.isPresent() && IN_PROGRESS.equals(running.get().status())) {
                throw KeysException.conflict("Certificate " + name + " has a create operation in progress: wait for "
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

    /** Why a pending create failed: Key Vault's {@code error} of the operation. */
    private record Failure(String code, String message) {
    }

    /**
     * Pending creates, each finished once across replicas: the key and the self-signed certificate are made outside
     * any transaction, then stored, and the operation completed (or failed), under the operation's row lock, only if
     * it is still the same create in progress, in the transaction that ends the lease.
     */
    private final class PendingOperations implements LeasedJob {

        @Override
        public String name() {
            return "finish-certificate";
        }

        @Override
        public List<String> due(int limit) {
            return store.inProgress(limit);
        }

        @Override
        public boolean process(String item, Lease lease) {
            String[] ref = VaultObjectTables.split(item);
            String vaultName = ref[0];
            String key = ref[1];
            Optional<Vault> vault = vaults.find(vaultName);
            Optional<OperationRow> seen = store.inTransaction(c -> store.operation(c, vaultName, key, false));
            if (vault.isEmpty() || seen.isEmpty() || !IN_PROGRESS.equals(seen.get().status())) {
                return false;
            }
            CertificateRequest request = read(seen.get().request());
            CertificatePolicy policy = request.policy();
            KeyMaterial material = null;
            X509Certificate certificate = null;
            Failure failure = null;
            try {
                material = policy.kty().equals("RSA") ? KeyMaterial.generateRsa(KeyRules.rsaSize(policy.keySize()))
                        : KeyMaterial.generateEc(Curve.of(policy.crv()));
                certificate = X509.selfSigned(material, material.privateKey(), policy);
            } catch (KeysException e) {
                failure = new Failure(e.code(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "making certificate %s in vault %s failed", key, vaultName);
                failure = new Failure("InternalError", "The certificate could not be made; the service's log says why.");
            }
            KeyMaterial made = material;
            X509Certificate made509 = certificate;
            Failure failed = failure;
            return JobLeases.applyOnce(store.dataSource(), lease, c -> {
                Optional<OperationRow> current = store.operation(c, vaultName, key, true);
                if (current.isEmpty() || !IN_PROGRESS.equals(current.get().status())
                        || !current.get().requestId().equals(seen.get().requestId())) {
                    return false;
                }
                Failure outcome = failed;
                if (outcome == null) {
                    Savepoint before = c.setSavepoint();
                    try {
                        store(c, vault.get(), current.get().name(), newVersion(), made, List.of(made509), policy,
                                request.enabled() == null || request.enabled(), request.tags());
                    } catch (KeysException e) {
                        c.rollback(before);
                        outcome = new Failure(e.code(), e.getMessage());
                    } catch (SecretsException e) {
                        c.rollback(before);
                        outcome = new Failure(e.code(), e.getMessage());
                    }
                }
                if (outcome == null) {
                    store.finishOperation(c, vaultName, key, COMPLETED, null, null, null);
                } else {
                    store.finishOperation(c, vaultName, key, FAILED, outcome.message(), outcome.code(),
                            outcome.message());
                }
                return true;
            });
        }
    }

    /** Imports a PFX or PEM (with its private key) as a new certificate or a new version. */
    public CertificateBundle importCertificate(Vault vault, String name, CertificateRequest request) {
        String key = KeyRules.nameKey(name, "certificate");
        KeyRules.tags(request.tags());
        X509.Parsed parsed = X509.parse(request.value(), request.password());
        X509Certificate leaf = parsed.chain().get(0);
        KeyMaterial material = KeyMaterial.fromPair(leaf.getPublicKey(), parsed.key());
        boolean pem = isPem(request.value());
        CertificatePolicy policy = policyOf(leaf, material, request.policy(), pem);
        policy.validate(false);
        store.inTransaction(c -> {
            store.certificate(c, vault.name(), key, false).filter(cert -> cert.deletedAt() != null)
                    .ifPresent(cert -> {
                        throw deletedButRecoverable(cert.name());
                    });
            return null;
        });
        String version = newVersion();
        store(vault, name, version, material, parsed.chain(), policy,
                request.enabled() == null || request.enabled(), request.tags());
        return get(vault, name, version);
    }

    /** Writes a version: its secret first, then the certificate and its managed key in one transaction. */
    private void store(Vault vault, String name, String version, KeyMaterial material, List<X509Certificate> chain,
            CertificatePolicy policy, boolean enabled, Map<String, String> tags) {
        store.inTransaction(c -> {
            store(c, vault, name, version, material, chain, policy, enabled, tags);
            return null;
        });
    }

    /** Stores a version with its secret (the PFX or PEM) and its managed key, inside the caller's transaction. */
    private void store(Connection c, Vault vault, String name, String version, KeyMaterial material,
            List<X509Certificate> chain, CertificatePolicy policy, boolean enabled, Map<String, String> tags)
            throws SQLException {
        String key = KeyRules.nameKey(name, "certificate");
        X509Certificate leaf = chain.get(0);
        long notBefore = leaf.getNotBefore().toInstant().getEpochSecond();
        long expires = leaf.getNotAfter().toInstant().getEpochSecond();
        Secret secret = secrets.set(c, vault, name, new SecretWrite(X509.secretValue(policy.contentType(), name,
                material.privateKey(), chain), policy.contentType(), tags, enabled, notBefore, expires));
        long now = now();
        String policyJson = write(policy);
        Optional<CertRow> existing = store.certificate(c, vault.name(), key, true);
        if (existing.isPresent()) {
            store.setLatest(c, vault.name(), key, version, policyJson, now);
        } else {
            store.insertCertificate(c, vault.name(), key, new CertRow(name, key, version, policyJson, now, now,
                    null, null));
        }
        store.insertVersion(c, vault.name(), key, new VersionRow(version, 0, X509.der(leaf),
                secret.properties().version(), enabled, now, now, tagsJson(tags)));
        keys.writeManaged(c, vault, existing.map(CertRow::name).orElse(name), version, material, enabled,
                notBefore, expires, tags);
    }

    public PendingCertificate getPending(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "certificate");
        return store.inTransaction(c -> store.operation(c, vault.name(), key, false)
                .map(row -> pending(row, read(row.request()).policy().issuerName()))
                .orElseThrow(() -> KeysException.notFound("PendingCertificateNotFound", "Pending certificate not "
                        + "found: " + name)));
    }

    /** The latest version ({@code version} null) or the given one. */
    public CertificateBundle get(Vault vault, String name, String version) {
        String key = KeyRules.nameKey(name, "certificate");
        String wanted = version == null ? null : KeyRules.version(version, "certificate");
        return store.inTransaction(c -> {
            CertRow cert = live(c, vault.name(), key, name);
            return bundle(cert, versionOf(c, vault.name(), cert, wanted, name));
        });
    }

    public CertificatePolicy getPolicy(Vault vault, String name) {
        return get(vault, name, null).policy();
    }

    /** Changes the policy (what the next versions are made with). */
    public CertificateBundle updatePolicy(Vault vault, String name, UnaryOperator<CertificatePolicy> change) {
        String key = KeyRules.nameKey(name, "certificate");
        long now = now();
        return store.inTransaction(c -> {
            CertRow cert = live(c, vault.name(), key, name);
            CertificatePolicy policy = change.apply(read(cert.policy(), CertificatePolicy.class));
            policy.validate(false);
            store.setPolicy(c, vault.name(), key, write(policy), now);
            CertRow updated = new CertRow(cert.name(), key, cert.latestVersion(), write(policy), cert.policyCreated(),
                    now, null, null);
            return bundle(updated, versionOf(c, vault.name(), cert, null, name));
        });
    }

    /** Enables or disables a version (with its key and secret versions) and replaces its tags. */
    public CertificateBundle update(Vault vault, String name, String version, Boolean enabled,
            Map<String, String> tags) {
        String key = KeyRules.nameKey(name, "certificate");
        String wanted = version == null ? null : KeyRules.version(version, "certificate");
        if (tags != null) {
            KeyRules.tags(tags);
        }
        long now = now();
        CertificateBundle result = store.inTransaction(c -> {
            CertRow cert = live(c, vault.name(), key, name);
            VersionRow row = versionOf(c, vault.name(), cert, wanted, name);
            VersionRow updated = new VersionRow(row.version(), row.seq(), row.cer(), row.secretVersion(),
                    enabled == null ? row.enabled() : enabled, row.created(), now,
                    tags == null ? row.tags() : tagsJson(tags));
            store.updateVersion(c, vault.name(), key, updated);
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

    public Page<CertificateBundle> list(Vault vault, String after, int max) {
        List<Listed> rows = store.inTransaction(c -> store.list(c, vault.name(), false, after == null ? "" : after,
                max + 1));
        List<CertificateBundle> items = new ArrayList<>();
        for (Listed row : rows.subList(0, Math.min(max, rows.size()))) {
            items.add(bundle(row.certificate(), row.latest()));
        }
        return new Page<>(items, rows.size() > max ? rows.get(max - 1).certificate().nameKey() : null);
    }

    public Page<CertificateBundle> versions(Vault vault, String name, String after, int max) {
        String key = KeyRules.nameKey(name, "certificate");
        long afterSeq = seq(after);
        return store.inTransaction(c -> {
            CertRow cert = live(c, vault.name(), key, name);
            List<VersionRow> rows = store.versions(c, vault.name(), key, afterSeq, max + 1);
            List<CertificateBundle> items = new ArrayList<>();
            for (VersionRow row : rows.subList(0, Math.min(max, rows.size()))) {
                items.add(bundle(cert, row));
            }
            return new Page<>(items, rows.size() > max ? Long.toString(rows.get(max - 1).seq()) : null);
        });
    }

    /** Soft-deletes a certificate with its key and secret (or purges them at once when soft delete is off). */
    public DeletedCertificate delete(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "certificate");
        Recovery recovery = Recovery.of(vault.properties());
        long now = now();
        DeletedCertificate deleted = store.inTransaction(c -> {
            CertRow cert = live(c, vault.name(), key, name);
            CertificateBundle latest = bundle(cert, versionOf(c, vault.name(), cert, null, name));
            if (!recovery.softDelete()) {
                store.deleteCertificate(c, vault.name(), key);
                keys.purgeManaged(c, vault, cert.name());
                return new DeletedCertificate(latest, null, null);
            }
            long purgeAt = now + recovery.days() * DAY;
            store.markDeleted(c, vault.name(), key, now, purgeAt);
            keys.setManagedDeleted(c, vault, cert.name(), now, purgeAt);
            return new DeletedCertificate(latest, now, purgeAt);
        });
        quietly(() -> secrets.delete(vault, name));
        return deleted;
    }

    public DeletedCertificate getDeleted(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "certificate");
        return store.inTransaction(c -> {
            CertRow cert = deleted(c, vault.name(), key, name);
            return new DeletedCertificate(bundle(cert, versionOf(c, vault.name(), cert, null, name)), cert.deletedAt(),
                    cert.scheduledPurgeAt());
        });
    }

    public Page<DeletedCertificate> listDeleted(Vault vault, String after, int max) {
        List<Listed> rows = store.inTransaction(c -> store.list(c, vault.name(), true, after == null ? "" : after,
                max + 1));
        List<DeletedCertificate> items = new ArrayList<>();
        for (Listed row : rows.subList(0, Math.min(max, rows.size()))) {
            items.add(new DeletedCertificate(bundle(row.certificate(), row.latest()), row.certificate().deletedAt(),
                    row.certificate().scheduledPurgeAt()));
        }
        return new Page<>(items, rows.size() > max ? rows.get(max - 1).certificate().nameKey() : null);
    }

    /** Brings a soft-deleted certificate back with its key and secret. */
    public CertificateBundle recover(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "certificate");
        CertificateBundle recovered = store.inTransaction(c -> {
            CertRow cert = deleted(c, vault.name(), key, name);
            store.markDeleted(c, vault.name(), key, null, null);
            keys.setManagedDeleted(c, vault, cert.name(), null, null);
            return bundle(cert, versionOf(c, vault.name(), cert, null, name));
        });
        quietly(() -> secrets.recover(vault, name));
        return recovered;
    }

    /** Removes a soft-deleted certificate, its key and its secret for good; refused under purge protection. */
    public void purge(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "certificate");
        store.inTransaction(c -> {
            CertRow cert = deleted(c, vault.name(), key, name);
            if (Recovery.of(vault.properties()).purgeProtection()) {
                throw KeysException.forbidden("Operation \"purge\" is not allowed because purge protection is "
                        + "enabled for this vault. Key Vault service will automatically purge it after the retention "
                        + "period has passed.", "PurgeProtectionEnabled");
            }
            store.deleteCertificate(c, vault.name(), key);
            keys.purgeManaged(c, vault, cert.name());
            return null;
        });
        quietly(() -> secrets.purge(vault, name));
    }

    /** Every version with its private key and the policy, sealed like every backup (only this installation opens it). */
    public byte[] backup(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "certificate");
        BackupDocument document = store.inTransaction(c -> {
            CertRow cert = live(c, vault.name(), key, name);
            List<BackupVersion> versions = new ArrayList<>();
            long after = 0;
            for (List<VersionRow> page = store.versions(c, vault.name(), key, after, 100); !page.isEmpty();
                    page = store.versions(c, vault.name(), key, after, 100)) {
                for (VersionRow v : page) {
                    KeyMaterial material = keys.openManaged(c, vault, cert.name(), v.version());
                    versions.add(new BackupVersion(v.version(), v.cer(), material.pkcs8(), v.enabled(), v.created(),
                            v.updated(), tags(v.tags())));
                    after = v.seq();
                }
            }
            return new BackupDocument(BACKUP_KIND, BACKUP_FORMAT, cert.name(), cert.latestVersion(),
                    read(cert.policy(), CertificatePolicy.class), cert.policyCreated(), versions);
        });
        byte[] plaintext = null;
        try {
            plaintext = json.writeValueAsBytes(document);
            return masterKey.sealBackup(plaintext);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the backup of certificate " + name);
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
            document.versions().forEach(v -> Arrays.fill(v.privateKey(), (byte) 0));
        }
    }

    /** Restores every version (with keys and secrets) under a free name. */
    public CertificateBundle restore(Vault vault, byte[] blob) {
        BackupDocument document = openBackup(blob);
        String key = KeyRules.nameKey(document.name(), "certificate");
        try {
            store.inTransaction(c -> {
                Optional<CertRow> existing = store.certificate(c, vault.name(), key, false);
                if (existing.isPresent()) {
                    if (existing.get().deletedAt() != null) {
                        throw deletedButRecoverable(existing.get().name());
                    }
                    throw KeysException.conflict("Certificate " + existing.get().name() + " already exists in this key "
                            + "vault: a backup is restored only under a name that is free.", "ObjectAlreadyExists");
                }
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
            document.versions().forEach(v -> Arrays.fill(v.privateKey(), (byte) 0));
        }
    }

    /** Purges the soft-deleted certificates whose {@code scheduledPurgeDate} has passed. @return how many */
    public int purgeDue() {
        return store.purgeDue(clock);
    }

    private BackupDocument openBackup(byte[] blob) {
        byte[] plaintext;
        try {
            plaintext = masterKey.openBackup(blob);
        } catch (SealBrokenException e) {
            throw badBackup(e.getMessage());
        }
        try {
            BackupDocument document = json.readValue(plaintext, BackupDocument.class);
            if (!BACKUP_KIND.equals(document.kind()) || document.format() != BACKUP_FORMAT || document.name() == null
                    || document.versions() == null || document.versions().isEmpty() || document.policy() == null) {
                throw badBackup("it is not a certificate backup of format " + BACKUP_FORMAT);
            }
            document.versions().forEach(v -> KeyRules.version(v.version(), "certificate"));
            return document;
        } catch (IOException e) {
            throw badBackup("its content is not a certificate backup");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static KeysException badBackup(String why) {
        return KeysException.badParameter("Cannot decrypt backup blob: " + why + ". A backup restores only into a "
                + "vault of the installation that made it (the same master key), unaltered.");
    }

    /**
     * The policy of an imported certificate: what the request gives, else what the file says (subject, names,
     * validity, key), with issuer {@code Unknown}.
     */
    private static CertificatePolicy policyOf(X509Certificate leaf, KeyMaterial key, CertificatePolicy given,
            boolean pem) {
        long months = Math.max(1, ChronoUnit.MONTHS.between(leaf.getNotBefore().toInstant().atZone(
                java.time.ZoneOffset.UTC), leaf.getNotAfter().toInstant().atZone(java.time.ZoneOffset.UTC)));
        List<String> dnsNames = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        dnsNames.add(String.valueOf(san.get(1)));
                    } else if (Integer.valueOf(1).equals(san.get(0))) {
                        emails.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw KeysException.badParameter("The certificate's subject alternative names do not parse.");
        }
        String contentType = given != null && given.contentType() != null ? given.contentType()
                : pem ? CertificatePolicy.PEM : CertificatePolicy.PKCS12;
        return new CertificatePolicy(key.kty(), key.isRsa() ? key.rsaBits() : null,
                key.isRsa() ? null : key.curve().jwkName(), given == null || given.exportable(),
                given != null && given.reuseKey(), contentType, leaf.getSubjectX500Principal().getName(),
                dnsNames, emails, List.of(), given == null ? List.of() : given.ekus(),
                given == null ? List.of() : given.keyUsage(), (int) Math.min(months, 1200),
                given == null || given.issuerName() == null ? "Unknown" : given.issuerName(),
                given == null ? null : given.certificateType(), given == null ? List.of() : given.lifetimeActions(),
                given == null || given.enabled());
    }

    private static boolean isPem(String value) {
        String text = value.strip();
        if (text.startsWith("-----BEGIN")) {
            return true;
        }
        try {
            return new String(java.util.Base64.getDecoder().decode(text.replaceAll("\\s", "")),
                    java.nio.charset.StandardCharsets.US_ASCII)
                    .strip().startsWith("-----BEGIN");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private CertRow live(Connection c, String vault, String key, String name) throws SQLException {
        return store.certificate(c, vault, key, false).filter(row -> row.deletedAt() == null)
                .orElseThrow(() -> notFound(name));
    }

    private CertRow deleted(Connection c, String vault, String key, String name) throws SQLException {
        return store.certificate(c, vault, key, false).filter(row -> row.deletedAt() != null)
                .orElseThrow(() -> KeysException.notFound("CertificateNotFound", "A deleted certificate with (name/id) "
                        + name + " was not found in this key vault. For help resolving this issue, please see "
                        + "https://go.microsoft.com/fwlink/?linkid=2125182"));
    }

    private VersionRow versionOf(Connection c, String vault, CertRow cert, String version, String name)
            throws SQLException {
        String wanted = version == null ? cert.latestVersion() : version;
        return store.version(c, vault, cert.nameKey(), wanted)
                .orElseThrow(() -> notFound(version == null ? name : name + "/" + version));
    }

    public static KeysException notFound(String nameOrId) {
        return KeysException.notFound("CertificateNotFound", "A certificate with (name/id) " + nameOrId + " was not "
                + "found in this key vault. If you recently deleted this certificate you may be able to recover it "
                + "using the correct recovery command. For help resolving this issue, please see "
                + "https://go.microsoft.com/fwlink/?linkid=2125182");
    }

    private static KeysException deletedButRecoverable(String name) {
        return KeysException.conflict("Certificate " + name + " is currently in a deleted but recoverable state, and "
                + "its name cannot be reused; in this state, the certificate can only be recovered or purged.",
                "ObjectIsDeletedButRecoverable");
    }

    /** The secret follows the certificate; when it was already changed by hand, the certificate still goes on. */
    private static void quietly(Runnable secretChange) {
        try {
            secretChange.run();
        } catch (SecretsException e) {
            LOG.debugf("the certificate's secret was not changed with it: %s", e.getMessage());
        }
    }

    private PendingCertificate pending(OperationRow row, String issuer) {
        return new PendingCertificate(row.name(), row.requestId(), row.status(), row.statusDetails(), row.errorCode(),
                row.errorMessage(), issuer);
    }

    private CertificateBundle bundle(CertRow cert, VersionRow row) {
        X509Certificate certificate = X509.certificate(row.cer());
        return new CertificateBundle(cert.name(), row.version(), row.cer(), row.secretVersion(), row.enabled(),
                certificate.getNotBefore().toInstant().getEpochSecond(),
                certificate.getNotAfter().toInstant().getEpochSecond(), row.created(), row.updated(), tags(row.tags()),
                read(cert.policy(), CertificatePolicy.class), cert.policyCreated(), cert.policyUpdated());
    }

    private CertificateRequest read(String request) {
        return read(request, CertificateRequest.class);
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored " + type.getSimpleName(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private Map<String, String> tags(String stored) {
        try {
            return json.readValue(stored, TAGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tags of a certificate version", e);
        }
    }

    private String tagsJson(Map<String, String> tags) {
        return write(tags == null ? Map.of() : tags);
    }

    private static long seq(String after) {
        if (after == null) {
            return 0;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw KeysException.badParameter("Invalid $skiptoken: it does not continue a list of certificate versions.");
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static String newVersion() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
