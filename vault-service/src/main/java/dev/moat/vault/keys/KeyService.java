package dev.moat.vault.keys;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.crypto.DataKey;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.crypto.SealBrokenException;
import dev.moat.vault.keys.KeyCrypto.EncryptionAlgorithm;
import dev.moat.vault.keys.KeyCrypto.SignatureAlgorithm;
import dev.moat.vault.keys.KeyRepository.KeyRow;
import dev.moat.vault.keys.KeyRepository.VersionRow;
import dev.moat.vault.objects.Attributes;
import dev.moat.vault.objects.Backups;
import dev.moat.vault.objects.Deleted;
import dev.moat.vault.objects.Lifecycle;
import dev.moat.vault.objects.ObjectNames;
import dev.moat.vault.objects.Page;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.objects.VaultObjectService;
import dev.moat.vault.store.JobLeases;
import dev.moat.vault.store.JobRunner;
import dev.moat.vault.store.Lease;
import dev.moat.vault.store.LeasedJob;
import dev.moat.vault.store.VaultObjectRows;
import dev.moat.vault.store.VaultObjectTables;
import dev.moat.vault.vaults.Vault;

/**
 * The rules of Key Vault keys and the cryptography done with them. Each operation is one transaction. A private key
 * is sealed with the vault's data key (bound to vault, name and version) before it is stored, and opened only inside
 * an operation that needs it (decrypt, unwrapKey, sign; backup seals it again under the backup key); encrypt, wrapKey
 * and verify use the public key. Operations check the key's {@code key_ops}, {@code enabled}, {@code nbf} and
 * {@code exp} before they touch the key.
 */
@ApplicationScoped
public class KeyService extends VaultObjectService<KeyRow, VersionRow, KeyBundle> {

    /** What a backup blob holds once opened: every version with its private key, oldest first. */
    record BackupDocument(String kind, int format, String name, String latestVersion, List<BackupVersion> versions)
            implements Backups.Document {
    }

    record BackupVersion(String version, byte[] publicKey, byte[] privateKey, String keyOps, boolean enabled,
            Long notBefore, Long expires, long created, long updated, Map<String, String> tags)
            implements Backups.PrivateVersion {

        @Override
        public String toString() {
            return "BackupVersion[" + version + ", private key redacted]";
        }
    }

    private static final String BACKUP_KIND = "moat.key";

    private final KeyRepository store;

    @Inject
    public KeyService(KeyRepository store, MasterKeyRing masterKey, ObjectMapper json) {
        super(new Lifecycle<>("key", "KeyNotFound", KeyRepository.ROWS, store.dataSource(), masterKey, json,
                Clock.systemUTC(), new Lifecycle.Rules<>() {
                    @Override
                    public void refuse(KeyRow key, String operation) {
                        refuseManaged(key, operation);
                    }
                }));
        this.store = store;
    }

    /** Creates a new key, or a new version of an existing one. */
    public KeyBundle create(Vault vault, String name, KeyCreate request) {
        KeyRules.nameKey(name, "key");
        KeyMaterial material = KeyMaterial.generate(request);
        List<KeyOperation> ops = request.keyOps() == null
                ? (material.isRsa() ? KeyOperation.RSA_DEFAULT : KeyOperation.EC_DEFAULT)
                : KeyOperation.parse(request.keyOps());
        return write(vault, name, material, ops, request.enabled(), request.notBefore(), request.expires(),
                request.tags());
    }

    /** Imports a key (its private key required), as a new key or a new version of an existing one. */
    public KeyBundle importKey(Vault vault, String name, KeyImport request) {
        KeyRules.nameKey(name, "key");
        if (request.key() == null) {
            throw VaultObjectException.badParameter("The request has no 'key': importing needs the key as a JWK.");
        }
        KeyMaterial material = KeyMaterial.fromJwk(request.key());
        List<KeyOperation> ops = request.key().keyOps() == null
                ? (material.isRsa() ? KeyOperation.RSA_DEFAULT : KeyOperation.EC_DEFAULT)
                : KeyOperation.parse(request.key().keyOps());
        return write(vault, name, material, ops, request.enabled(), request.notBefore(), request.expires(),
                request.tags());
    }

    KeyBundle write(Vault vault, String name, KeyMaterial material, List<KeyOperation> ops, Boolean enabled,
            Long notBefore, Long expires, Map<String, String> tags) {
        return objects.inTransaction(c -> write(c, vault, name, material, ops, enabled, notBefore, expires, tags));
    }

    /** Adds a version (the first one creates the key) inside the caller's transaction. */
    KeyBundle write(Connection c, Vault vault, String name, KeyMaterial material, List<KeyOperation> ops,
            Boolean enabled, Long notBefore, Long expires, Map<String, String> tags) throws SQLException {
        String key = KeyRules.nameKey(name, "key");
        KeyRules.tags(tags);
        KeyRules.validityPeriod(notBefore, expires);
        String version = ObjectNames.newVersion();
        DataKey dataKey = objects.dataKey(c, vault.name());
        Optional<KeyRow> existing = objects.forNewVersion(c, vault.name(), key);
        if (existing.isPresent()) {
            refuseManaged(existing.get(), "create a version of");
            KeyRepository.ROWS.setLatest(c, vault.name(), key, version);
        } else {
            store.insertKey(c, vault.name(), key, name, version, false);
        }
        return insertVersion(c, dataKey, vault, key, existing.map(KeyRow::name).orElse(name), version, material, ops,
                enabled == null || enabled, notBefore, expires, tags, false);
    }

    /** Stores a version, its private key sealed with the vault's data key (bound to vault, name and version). */
    private KeyBundle insertVersion(Connection c, DataKey dataKey, Vault vault, String key, String name,
            String version, KeyMaterial material, List<KeyOperation> ops, boolean enabled, Long notBefore,
            Long expires, Map<String, String> tags, boolean managed) throws SQLException {
        long now = objects.now();
        byte[] pkcs8 = material.pkcs8();
        try {
            VersionRow row = new VersionRow(version, 0, material.publicKeyDer(),
                    dataKey.sealPrivateKey(vault.name(), key, version, pkcs8), KeyOperation.join(ops), enabled,
                    notBefore, expires, now, now, objects.tagsJson(tags));
            store.insertVersion(c, vault.name(), key, row);
            return bundle(name, managed, row);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** The latest version ({@code version} null) or the given one: public key, attributes, tags. */
    public KeyBundle get(Vault vault, String name, String version) {
        return objects.get(vault, name, version, this::bundle);
    }

    /** Changes the {@code key_ops}, attributes or tags of one version (the latest when {@code version} is null). */
    public KeyBundle update(Vault vault, String name, String version, KeyPatch patch) {
        List<KeyOperation> ops = patch.keyOps() == null ? null : KeyOperation.parse(patch.keyOps());
        if (patch.tags() != null) {
            KeyRules.tags(patch.tags());
        }
        long now = objects.now();
        return objects.update(vault, name, version, (c, row, current) -> {
            Long notBefore = patch.notBefore(current.notBefore());
            Long expires = patch.expires(current.expires());
            KeyRules.validityPeriod(notBefore, expires);
            VersionRow updated = new VersionRow(current.version(), current.seq(), current.publicKey(),
                    current.sealedPrivate(), ops == null ? current.keyOps() : KeyOperation.join(ops),
                    patch.enabled(current.enabled()), notBefore, expires, current.created(), now,
                    objects.tagsJson(patch, current.tags()));
            store.updateVersion(c, vault.name(), row.nameKey(), updated);
            return bundle(row, updated);
        });
    }

    /**
     * All versions of a live key, sealed under the master key's backup key: the blob reveals nothing, and only an
     * installation holding the same master key can restore it, into any of its vaults.
     */
    public byte[] backup(Vault vault, String name) {
        String key = objects.nameKey(name);
        BackupDocument document = objects.inTransaction(c -> {
            KeyRow row = objects.live(c, vault.name(), key, name);
            refuseManaged(row, "back up");
            DataKey dataKey = objects.dataKey(c, vault.name());
            List<BackupVersion> versions = new ArrayList<>();
            for (VersionRow v : objects.allVersions(c, vault.name(), key)) {
                versions.add(new BackupVersion(v.version(), v.publicKey(), openPrivate(dataKey, vault.name(), key, v),
                        v.keyOps(), v.enabled(), v.notBefore(), v.expires(), v.created(), v.updated(),
                        objects.tags(v.tags())));
            }
            return new BackupDocument(BACKUP_KIND, Backups.format(), row.name(), row.latestVersion(),
                    versions);
        });
        return objects.backups().sealThenWipe(document, name, document.versions());
    }

    /** Restores a backup with all its versions; refused (409) when the name exists, live or soft-deleted. */
    public KeyBundle restore(Vault vault, byte[] blob) {
        BackupDocument document = objects.backups().open(blob, BackupDocument.class,
                d -> BACKUP_KIND.equals(d.kind()));
        try {
            document.versions().forEach(v -> objects.version(v.version()));
            String key = objects.nameKey(document.name());
            return objects.inTransaction(c -> {
                DataKey dataKey = objects.dataKey(c, vault.name());
                objects.refuseTaken(c, vault.name(), key);
                store.insertKey(c, vault.name(), key, document.name(), document.latestVersion(), false);
                VersionRow latest = null;
                for (BackupVersion v : document.versions()) {
                    VersionRow row = new VersionRow(v.version(), 0, v.publicKey(),
                            dataKey.sealPrivateKey(vault.name(), key, v.version(), v.privateKey()), v.keyOps(),
                            v.enabled(), v.notBefore(), v.expires(), v.created(), v.updated(),
                            objects.tagsJson(v.tags()));
                    store.insertVersion(c, vault.name(), key, row);
                    if (v.version().equals(document.latestVersion())) {
                        latest = row;
                    }
                }
                if (latest == null) {
                    throw objects.backups().bad("it names a latest version it does not hold");
                }
                return bundle(document.name(), false, latest);
            });
        } finally {
            Backups.wipe(document.versions());
        }
    }

    // ---- the managed keys of certificates, in the certificate's transaction ----

    /**
     * Stores a certificate's key as a new version of the managed key of the same name and version.
     *
     * @throws VaultObjectException 409 when a key of that name exists that is not a certificate's
     */
    public KeyBundle writeManaged(Connection c, Vault vault, String name, String version, KeyMaterial material,
            boolean enabled, Long notBefore, Long expires, Map<String, String> tags) throws SQLException {
        String key = KeyRules.nameKey(name, "key");
        DataKey dataKey = objects.dataKey(c, vault.name());
        VaultObjectRows.lockVault(c, vault.name());
        Optional<KeyRow> existing = KeyRepository.ROWS.object(c, vault.name(), key, true);
        if (existing.isPresent() && !existing.get().managed()) {
            throw VaultObjectException.conflict("Key " + existing.get().name() + " exists and is not a certificate's: a "
                    + "certificate's key takes the certificate's name, so delete and purge the key, or choose another "
                    + "name.", "ObjectAlreadyExists");
        }
        if (existing.isPresent()) {
            KeyRepository.ROWS.setLatest(c, vault.name(), key, version);
        } else {
            store.insertKey(c, vault.name(), key, name, version, true);
        }
        return insertVersion(c, dataKey, vault, key, existing.map(KeyRow::name).orElse(name), version, material,
                material.isRsa() ? KeyOperation.RSA_DEFAULT : KeyOperation.EC_DEFAULT, enabled, notBefore, expires,
                tags, true);
    }

    /** The private key of a certificate's key version (for the certificate's backup). */
    public KeyMaterial openManaged(Connection c, Vault vault, String name, String version) throws SQLException {
        String key = KeyRules.nameKey(name, "key");
        VersionRow row = KeyRepository.ROWS.version(c, vault.name(), key, version)
                .orElseThrow(() -> objects.notFound(name + "/" + version));
        byte[] pkcs8 = openPrivate(objects.dataKey(c, vault.name()), vault.name(), key, row);
        try {
            return KeyMaterial.of(pkcs8, row.publicKey());
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** Enables or disables a certificate's key version with the certificate version. */
    public void setManagedEnabled(Connection c, Vault vault, String name, String version, boolean enabled)
            throws SQLException {
        String key = KeyRules.nameKey(name, "key");
        Optional<VersionRow> row = KeyRepository.ROWS.version(c, vault.name(), key, version);
        if (row.isPresent()) {
            VersionRow v = row.get();
            store.updateVersion(c, vault.name(), key, new VersionRow(v.version(), v.seq(), v.publicKey(),
                    v.sealedPrivate(), v.keyOps(), enabled, v.notBefore(), v.expires(), v.created(), objects.now(),
                    v.tags()));
        }
    }

    /** Soft-deletes ({@code deletedAt} set) or recovers ({@code deletedAt} null) a certificate's key with it. */
    public void setManagedDeleted(Connection c, Vault vault, String name, Long deletedAt, Long purgeAt)
            throws SQLException {
        String key = KeyRules.nameKey(name, "key");
        if (deletedAt == null) {
            KeyRepository.ROWS.tables().markRecovered(c, vault.name(), key);
        } else {
            KeyRepository.ROWS.tables().markDeleted(c, vault.name(), key, deletedAt, purgeAt);
        }
    }

    /** Removes a certificate's key for good, with the certificate. */
    public void purgeManaged(Connection c, Vault vault, String name) throws SQLException {
        KeyRepository.ROWS.tables().remove(c, vault.name(), KeyRules.nameKey(name, "key"));
    }


    /** The lifecycle of keys, for the parts of keys kept beside this class (rotation, cryptography). */
    Lifecycle<KeyRow, VersionRow> lifecycle() {
        return objects;
    }

    /** The PKCS#8 private key of a version, opened with the vault's data key; the caller zeroes it. */
    byte[] openPrivate(Connection c, Vault vault, String nameKey, VersionRow row) throws SQLException {
        return openPrivate(objects.dataKey(c, vault.name()), vault.name(), nameKey, row);
    }

    private static byte[] openPrivate(DataKey dataKey, String vault, String key, VersionRow row) {
        try {
            return dataKey.openPrivateKey(vault, key, row.version(), row.sealedPrivate());
        } catch (SealBrokenException e) {
            throw new IllegalStateException("the stored private key of key " + key + "/" + row.version() + " in vault "
                    + vault + " failed its integrity check (" + e.getMessage() + "); it is not used");
        }
    }

    /** A certificate's key changes only with its certificate, as in Key Vault. */
    static void refuseManaged(KeyRow row, String what) {
        if (row.managed()) {
            throw VaultObjectException.forbidden("Key " + row.name() + " is managed by certificate " + row.name() + ": "
                    + what + " the certificate instead of its key.", "KeyManagedByCertificate");
        }
    }

    @Override
    protected KeyBundle describe(KeyRow row, VersionRow version) {
        return bundle(row, version);
    }

    KeyBundle bundle(KeyRow row, VersionRow version) {
        return bundle(row.name(), row.managed(), version);
    }

    private KeyBundle bundle(String name, boolean managed, VersionRow row) {
        JsonWebKey jwk = KeyMaterial.publicOnly(row.publicKey()).publicJwk(KeyOperation.split(row.keyOps()));
        return new KeyBundle(name, row.version(), jwk, new Attributes(row.enabled(), row.notBefore(),
                row.expires(), row.created(), row.updated()), objects.tags(row.tags()), managed);
    }
}
