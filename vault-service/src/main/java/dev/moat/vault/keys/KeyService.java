package dev.moat.vault.keys;

import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
import dev.moat.vault.crypto.VaultDataKeys;
import dev.moat.vault.crypto.SealBrokenException;
import dev.moat.vault.keys.KeyCrypto.EncryptionAlgorithm;
import dev.moat.vault.keys.KeyCrypto.SignatureAlgorithm;
import dev.moat.vault.keys.KeyRepository.KeyRow;
import dev.moat.vault.keys.KeyRepository.Listed;
import dev.moat.vault.keys.KeyRepository.VersionRow;
import dev.moat.vault.secrets.Page;
import dev.moat.vault.secrets.Recovery;
import dev.moat.vault.store.JobLeases;
import dev.moat.vault.store.JobRunner;
import dev.moat.vault.store.Lease;
import dev.moat.vault.store.LeasedJob;
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
public class KeyService {

    /** What a backup blob holds once opened: every version with its private key, oldest first. */
    record BackupDocument(String kind, int format, String name, String latestVersion, List<BackupVersion> versions) {
    }

    record BackupVersion(String version, byte[] publicKey, byte[] privateKey, String keyOps, boolean enabled,
            Long notBefore, Long expires, long created, long updated, Map<String, String> tags) {

        @Override
        public String toString() {
            return "BackupVersion[" + version + ", private key redacted]";
        }
    }

    private static final String BACKUP_KIND = "moat.key";
    private static final int BACKUP_FORMAT = 1;
    private static final long DAY = 86_400;
    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {
    };
    private static final TypeReference<List<RotationPolicy.LifetimeAction>> ACTIONS = new TypeReference<>() {
    };
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyRepository store;
    private final MasterKeyRing masterKey;
    private final ObjectMapper json;
    private final Clock clock;
    private final VaultDataKeys dataKeys;

    @Inject
    public KeyService(KeyRepository store, MasterKeyRing masterKey, ObjectMapper json) {
        this(store, masterKey, json, Clock.systemUTC());
    }

    KeyService(KeyRepository store, MasterKeyRing masterKey, ObjectMapper json, Clock clock) {
        this.dataKeys = new VaultDataKeys(masterKey, clock);
        this.store = store;
        this.masterKey = masterKey;
        this.json = json;
        this.clock = clock;
    }

    /** Creates a new key, or a new version of an existing one. */
    public KeyBundle create(Vault vault, String name, KeyCreate request) {
        KeyRules.nameKey(name, "key");
        KeyMaterial material = generate(request);
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
            throw KeysException.badParameter("The request has no 'key': importing needs the key as a JWK.");
        }
        KeyMaterial material = KeyMaterial.fromJwk(request.key());
        List<KeyOperation> ops = request.key().keyOps() == null
                ? (material.isRsa() ? KeyOperation.RSA_DEFAULT : KeyOperation.EC_DEFAULT)
                : KeyOperation.parse(request.key().keyOps());
        return write(vault, name, material, ops, request.enabled(), request.notBefore(), request.expires(),
                request.tags());
    }

    /**
     * A new version with a new key of the same type, size or curve, {@code key_ops} and tags as the latest one; it
     * expires after the rotation policy's {@code expiryTime} when there is one.
     */
    public KeyBundle rotate(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "key");
        long now = now();
        record Latest(VersionRow version, Long expires) {
        }
        Latest latest = store.inTransaction(c -> {
            KeyRow row = live(c, vault.name(), key, name);
            refuseManaged(row, "rotate");
            Long expires = store.rotationPolicy(c, vault.name(), key).map(this::policy)
                    .map(policy -> policy.expiryOfVersionMadeAt(now)).orElse(null);
            return new Latest(versionOf(c, vault.name(), row, null, name), expires);
        });
        KeyMaterial current = KeyMaterial.publicOnly(latest.version().publicKey());
        KeyMaterial material = current.isRsa() ? KeyMaterial.generateRsa(current.rsaBits())
                : KeyMaterial.generateEc(current.curve());
        return write(vault, name, material, KeyOperation.split(latest.version().keyOps()), true, null,
                latest.expires(), tags(latest.version()));
    }

    /** The key's rotation policy, or Key Vault's default when it has none. */
    public RotationPolicy rotationPolicy(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "key");
        return store.inTransaction(c -> {
            live(c, vault.name(), key, name);
            return store.rotationPolicy(c, vault.name(), key).map(this::policy).orElse(RotationPolicy.DEFAULT);
        });
    }

    /** Replaces the key's rotation policy (checked by {@link RotationPolicy#validated}). */
    public RotationPolicy setRotationPolicy(Vault vault, String name, String expiryTime,
            List<RotationPolicy.LifetimeAction> actions) {
        String key = KeyRules.nameKey(name, "key");
        RotationPolicy policy = RotationPolicy.validated(expiryTime, actions);
        long now = now();
        return store.inTransaction(c -> {
            KeyRow row = live(c, vault.name(), key, name);
            refuseManaged(row, "set a rotation policy on");
            long created = store.rotationPolicy(c, vault.name(), key).map(KeyRepository.PolicyRow::created)
                    .orElse(now);
            KeyRepository.PolicyRow stored = new KeyRepository.PolicyRow(vault.name(), key, policy.expiryTime(),
                    writeJson(policy.lifetimeActions()), created, now);
            store.putRotationPolicy(c, stored);
            return policy(stored);
        });
    }

    /**
     * Rotates every key whose policy's Rotate action is due (after its latest version's creation, or before its
     * expiry) and that no other replica holds. @return how many keys this replica rotated
     */
    public int rotateDue(Function<String, Optional<Vault>> vaults) {
        return JobRunner.on(store.dataSource(), clock).run(rotationJob(vaults));
    }

    /**
     * The job that carries out the {@code Rotate} actions of rotation policies. An item is a key whose latest version
     * is due ({@code vault/name_key}); it gets its new version once across replicas: the new key is made outside any
     * transaction (seconds for RSA 4096), then written under the key's row lock only if the version seen is still the
     * latest and still due, in the transaction that ends the lease.
     */
    LeasedJob rotationJob(Function<String, Optional<Vault>> vaults) {
        return new LeasedJob() {
            @Override
            public String name() {
                return "rotate-key";
            }

            @Override
            public List<String> due(int limit) {
                long now = now();
                List<String> items = new ArrayList<>();
                for (KeyRepository.PolicyRow row : store.rotationPolicies()) {
                    if (items.size() < limit && store.inTransaction(c -> dueVersion(c, row.vault(), row.nameKey(),
                            now, false)).isPresent()) {
                        items.add(VaultObjectTables.item(row.vault(), row.nameKey()));
                    }
                }
                return items;
            }

            @Override
            public boolean process(String item, Lease lease) {
                return rotateIfDue(item, lease, vaults);
            }
        };
    }

    private boolean rotateIfDue(String item, Lease lease, Function<String, Optional<Vault>> vaults) {
        String[] key = VaultObjectTables.split(item);
        long now = now();
        Optional<VersionRow> seen = store.inTransaction(c -> dueVersion(c, key[0], key[1], now, false));
        Optional<Vault> vault = vaults.apply(key[0]);
        if (seen.isEmpty() || vault.isEmpty()) {
            return false;
        }
        KeyMaterial current = KeyMaterial.publicOnly(seen.get().publicKey());
        KeyMaterial material = current.isRsa() ? KeyMaterial.generateRsa(current.rsaBits())
                : KeyMaterial.generateEc(current.curve());
        return JobLeases.applyOnce(store.dataSource(), lease, c -> {
            Optional<VersionRow> latest = dueVersion(c, key[0], key[1], now, true);
            if (latest.isEmpty() || !latest.get().version().equals(seen.get().version())) {
                return false;
            }
            Long expires = store.rotationPolicy(c, key[0], key[1]).map(this::policy)
                    .map(policy -> policy.expiryOfVersionMadeAt(now)).orElse(null);
            String name = store.key(c, key[0], key[1], false).orElseThrow().name();
            write(c, vault.get(), name, material, KeyOperation.split(latest.get().keyOps()), true, null, expires,
                    tags(latest.get()));
            return true;
        });
    }

    /** The latest version of a live key of the customer's whose rotation policy says it is due now. */
    private Optional<VersionRow> dueVersion(Connection c, String vault, String nameKey, long now, boolean lock)
            throws SQLException {
        Optional<KeyRow> key = store.key(c, vault, nameKey, lock);
        Optional<KeyRepository.PolicyRow> policy = store.rotationPolicy(c, vault, nameKey);
        if (key.isEmpty() || key.get().deletedAt() != null || key.get().managed() || policy.isEmpty()) {
            return Optional.empty();
        }
        return store.version(c, vault, nameKey, key.get().latestVersion())
                .filter(latest -> policy(policy.get()).rotationDue(latest.created(), latest.expires(), now));
    }

    private RotationPolicy policy(KeyRepository.PolicyRow row) {
        try {
            List<RotationPolicy.LifetimeAction> actions = json.readValue(row.actions(), ACTIONS);
            return new RotationPolicy(row.expiryTime(), actions, row.created(), row.updated());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable rotation policy of key " + row.nameKey(), e);
        }
    }

    private String writeJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private KeyBundle write(Vault vault, String name, KeyMaterial material, List<KeyOperation> ops, Boolean enabled,
            Long notBefore, Long expires, Map<String, String> tags) {
        return store.inTransaction(c -> write(c, vault, name, material, ops, enabled, notBefore, expires, tags));
    }

    /** Adds a version (the first one creates the key) inside the caller's transaction. */
    private KeyBundle write(Connection c, Vault vault, String name, KeyMaterial material, List<KeyOperation> ops,
            Boolean enabled, Long notBefore, Long expires, Map<String, String> tags) throws SQLException {
        String key = KeyRules.nameKey(name, "key");
        KeyRules.tags(tags);
        KeyRules.validityPeriod(notBefore, expires);
        long now = now();
        String version = newVersion();
        byte[] pkcs8 = material.pkcs8();
        try {
            {
                DataKey dataKey = dataKeys.of(c, vault.name());
                Optional<KeyRow> existing = store.key(c, vault.name(), key, true);
                if (existing.isEmpty()) {
                    store.lockVault(c, vault.name());
                    existing = store.key(c, vault.name(), key, true);
                }
                if (existing.isPresent()) {
                    if (existing.get().deletedAt() != null) {
                        throw deletedButRecoverable(existing.get().name());
                    }
                    refuseManaged(existing.get(), "create a version of");
                    store.setLatest(c, vault.name(), key, version);
                } else {
                    store.insertKey(c, vault.name(), key, name, version, false);
                }
                VersionRow row = new VersionRow(version, 0, material.publicKeyDer(),
                        dataKey.sealPrivateKey(vault.name(), key, version, pkcs8), KeyOperation.join(ops),
                        enabled == null || enabled, notBefore, expires, now, now, tagsJson(tags));
                store.insertVersion(c, vault.name(), key, row);
                return bundle(existing.map(KeyRow::name).orElse(name), false, row);
            }
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** The latest version ({@code version} null) or the given one: public key, attributes, tags. */
    public KeyBundle get(Vault vault, String name, String version) {
        String key = KeyRules.nameKey(name, "key");
        String wanted = version == null ? null : KeyRules.version(version, "key");
        return store.inTransaction(c -> {
            KeyRow row = live(c, vault.name(), key, name);
            return bundle(row, versionOf(c, vault.name(), row, wanted, name));
        });
    }

    /** Changes the {@code key_ops}, attributes or tags of one version (the latest when {@code version} is null). */
    public KeyBundle update(Vault vault, String name, String version, KeyPatch patch) {
        String key = KeyRules.nameKey(name, "key");
        String wanted = version == null ? null : KeyRules.version(version, "key");
        List<KeyOperation> ops = patch.keyOps() == null ? null : KeyOperation.parse(patch.keyOps());
        if (patch.tags() != null) {
            KeyRules.tags(patch.tags());
        }
        long now = now();
        return store.inTransaction(c -> {
            KeyRow row = live(c, vault.name(), key, name);
            refuseManaged(row, "update");
            VersionRow current = versionOf(c, vault.name(), row, wanted, name);
            Long notBefore = patch.setsNotBefore() ? patch.notBefore() : current.notBefore();
            Long expires = patch.setsExpires() ? patch.expires() : current.expires();
            KeyRules.validityPeriod(notBefore, expires);
            VersionRow updated = new VersionRow(current.version(), current.seq(), current.publicKey(),
                    current.sealedPrivate(), ops == null ? current.keyOps() : KeyOperation.join(ops),
                    patch.enabled() != null ? patch.enabled() : current.enabled(), notBefore, expires,
                    current.created(), now, patch.tags() != null ? tagsJson(patch.tags()) : current.tags());
            store.updateVersion(c, vault.name(), key, updated);
            return bundle(row, updated);
        });
    }

    /** Live keys by name (each with its latest version), {@code max} per page. */
    public Page<KeyBundle> list(Vault vault, String after, int max) {
        List<Listed> rows = store.inTransaction(c -> store.list(c, vault.name(), false, after == null ? "" : after,
                max + 1));
        List<KeyBundle> items = new ArrayList<>();
        for (Listed row : rows.subList(0, Math.min(max, rows.size()))) {
            items.add(bundle(row.key(), row.latest()));
        }
        return new Page<>(items, rows.size() > max ? rows.get(max - 1).key().nameKey() : null);
    }

    /** The versions of a live key, oldest first, {@code max} per page. */
    public Page<KeyBundle> versions(Vault vault, String name, String after, int max) {
        String key = KeyRules.nameKey(name, "key");
        long afterSeq = seq(after);
        return store.inTransaction(c -> {
            KeyRow row = live(c, vault.name(), key, name);
            List<VersionRow> rows = store.versions(c, vault.name(), key, afterSeq, max + 1);
            List<KeyBundle> items = new ArrayList<>();
            for (VersionRow version : rows.subList(0, Math.min(max, rows.size()))) {
                items.add(bundle(row, version));
            }
            return new Page<>(items, rows.size() > max ? Long.toString(rows.get(max - 1).seq()) : null);
        });
    }

    /**
     * Soft-deletes a key with all its versions: recoverable until the vault's retention has passed. A vault with soft
     * delete off purges at once.
     */
    public DeletedKey delete(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "key");
        Recovery recovery = Recovery.of(vault.properties());
        long now = now();
        return store.inTransaction(c -> {
            KeyRow row = live(c, vault.name(), key, name);
            refuseManaged(row, "delete");
            KeyBundle latest = bundle(row, versionOf(c, vault.name(), row, null, name));
            if (!recovery.softDelete()) {
                store.deleteKey(c, vault.name(), key);
                return new DeletedKey(latest, null, null);
            }
            long purgeAt = now + recovery.days() * DAY;
            store.markDeleted(c, vault.name(), key, now, purgeAt);
            return new DeletedKey(latest, now, purgeAt);
        });
    }

    public DeletedKey getDeleted(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "key");
        return store.inTransaction(c -> {
            KeyRow row = deleted(c, vault.name(), key, name);
            return deletedKey(row, versionOf(c, vault.name(), row, null, name));
        });
    }

    public Page<DeletedKey> listDeleted(Vault vault, String after, int max) {
        List<Listed> rows = store.inTransaction(c -> store.list(c, vault.name(), true, after == null ? "" : after,
                max + 1));
        List<DeletedKey> items = new ArrayList<>();
        for (Listed row : rows.subList(0, Math.min(max, rows.size()))) {
            items.add(deletedKey(row.key(), row.latest()));
        }
        return new Page<>(items, rows.size() > max ? rows.get(max - 1).key().nameKey() : null);
    }

    /** Brings a soft-deleted key back with all its versions. */
    public KeyBundle recover(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "key");
        return store.inTransaction(c -> {
            KeyRow row = deleted(c, vault.name(), key, name);
            refuseManaged(row, "recover");
            store.markRecovered(c, vault.name(), key);
            return bundle(row, versionOf(c, vault.name(), row, null, name));
        });
    }

    /** Removes a soft-deleted key for good; refused (403) when the vault has purge protection. */
    public void purge(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "key");
        store.inTransaction(c -> {
            KeyRow row = deleted(c, vault.name(), key, name);
            refuseManaged(row, "purge");
            if (Recovery.of(vault.properties()).purgeProtection()) {
                throw KeysException.forbidden("Operation \"purge\" is not allowed because purge protection is "
                        + "enabled for this vault. Key Vault service will automatically purge it after the retention "
                        + "period has passed.", "PurgeProtectionEnabled");
            }
            store.deleteKey(c, vault.name(), key);
            return null;
        });
    }

    /**
     * All versions of a live key, sealed under the master key's backup key: the blob reveals nothing, and only an
     * installation holding the same master key can restore it, into any of its vaults.
     */
    public byte[] backup(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "key");
        BackupDocument document = store.inTransaction(c -> {
            KeyRow row = live(c, vault.name(), key, name);
            refuseManaged(row, "back up");
            DataKey dataKey = dataKeys.of(c, vault.name());
            List<BackupVersion> versions = new ArrayList<>();
            long after = 0;
            for (List<VersionRow> page = store.versions(c, vault.name(), key, after, 100); !page.isEmpty();
                    page = store.versions(c, vault.name(), key, after, 100)) {
                for (VersionRow v : page) {
                    versions.add(new BackupVersion(v.version(), v.publicKey(), openPrivate(dataKey, vault.name(), key,
                            v), v.keyOps(), v.enabled(), v.notBefore(), v.expires(), v.created(), v.updated(),
                            tags(v)));
                    after = v.seq();
                }
            }
            return new BackupDocument(BACKUP_KIND, BACKUP_FORMAT, row.name(), row.latestVersion(), versions);
        });
        byte[] plaintext = null;
        try {
            plaintext = json.writeValueAsBytes(document);
            return masterKey.sealBackup(plaintext);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the backup of key " + name);
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
            document.versions().forEach(v -> Arrays.fill(v.privateKey(), (byte) 0));
        }
    }

    /** Restores a backup with all its versions; refused (409) when the name exists, live or soft-deleted. */
    public KeyBundle restore(Vault vault, byte[] blob) {
        BackupDocument document = openBackup(blob);
        String key = KeyRules.nameKey(document.name(), "key");
        try {
            return store.inTransaction(c -> {
                DataKey dataKey = dataKeys.of(c, vault.name());
                store.lockVault(c, vault.name());
                Optional<KeyRow> existing = store.key(c, vault.name(), key, true);
                if (existing.isPresent()) {
                    if (existing.get().deletedAt() != null) {
                        throw deletedButRecoverable(existing.get().name());
                    }
                    throw KeysException.conflict("Key " + existing.get().name() + " already exists in this key vault: "
                            + "a backup is restored only under a name that is free (delete and purge the key first, "
                            + "or restore into another vault).", "ObjectAlreadyExists");
                }
                store.insertKey(c, vault.name(), key, document.name(), document.latestVersion(), false);
                VersionRow latest = null;
                for (BackupVersion v : document.versions()) {
                    VersionRow row = new VersionRow(v.version(), 0, v.publicKey(),
                            dataKey.sealPrivateKey(vault.name(), key, v.version(), v.privateKey()), v.keyOps(),
                            v.enabled(), v.notBefore(), v.expires(), v.created(), v.updated(), tagsJson(v.tags()));
                    store.insertVersion(c, vault.name(), key, row);
                    if (v.version().equals(document.latestVersion())) {
                        latest = row;
                    }
                }
                if (latest == null) {
                    throw badBackup("it names a latest version it does not hold");
                }
                return bundle(document.name(), false, latest);
            });
        } finally {
            document.versions().forEach(v -> Arrays.fill(v.privateKey(), (byte) 0));
        }
    }

    /**
     * encrypt, decrypt, wrapKey or unwrapKey with an RSA algorithm.
     *
     * @param caller the caller as Key Vault names it ({@code appid=…;oid=…;iss=…}), for the refusal by {@code key_ops}
     */
    public CryptoResult cipher(Vault vault, String name, String version, KeyOperation operation, String alg,
            byte[] value, String caller) {
        EncryptionAlgorithm algorithm = EncryptionAlgorithm.of(alg);
        return withKey(vault, name, version, operation, caller, (material, bundle) -> {
            byte[] out = switch (operation) {
                case ENCRYPT, WRAP_KEY -> KeyCrypto.encrypt(material, algorithm, value);
                case DECRYPT, UNWRAP_KEY -> KeyCrypto.decrypt(material, algorithm, value);
                default -> throw new IllegalArgumentException(operation + " is not a cipher operation");
            };
            return new CryptoResult(bundle.name(), bundle.version(), out);
        });
    }

    /** Signs a digest the client computed; ECDSA signatures are raw {@code r||s}. */
    public CryptoResult sign(Vault vault, String name, String version, String alg, byte[] digest, String caller) {
        SignatureAlgorithm algorithm = SignatureAlgorithm.of(alg);
        return withKey(vault, name, version, KeyOperation.SIGN, caller, (material, bundle) -> new CryptoResult(bundle.name(),
                bundle.version(), KeyCrypto.sign(material, algorithm, digest)));
    }

    public boolean verify(Vault vault, String name, String version, String alg, byte[] digest, byte[] signature,
            String caller) {
        SignatureAlgorithm algorithm = SignatureAlgorithm.of(alg);
        return withKey(vault, name, version, KeyOperation.VERIFY, caller,
                (material, bundle) -> KeyCrypto.verify(material, algorithm, digest, signature));
    }

    // ---- the managed keys of certificates, in the certificate's transaction ----

    /**
     * Stores a certificate's key as a new version of the managed key of the same name and version.
     *
     * @throws KeysException 409 when a key of that name exists that is not a certificate's
     */
    public KeyBundle writeManaged(Connection c, Vault vault, String name, String version, KeyMaterial material,
            boolean enabled, Long notBefore, Long expires, Map<String, String> tags) throws SQLException {
        String key = KeyRules.nameKey(name, "key");
        long now = now();
        DataKey dataKey = dataKeys.of(c, vault.name());
        store.lockVault(c, vault.name());
        Optional<KeyRow> existing = store.key(c, vault.name(), key, true);
        if (existing.isPresent() && !existing.get().managed()) {
            throw KeysException.conflict("Key " + existing.get().name() + " exists and is not a certificate's: a "
                    + "certificate's key takes the certificate's name, so delete and purge the key, or choose another "
                    + "name.", "ObjectAlreadyExists");
        }
        if (existing.isPresent()) {
            store.setLatest(c, vault.name(), key, version);
        } else {
            store.insertKey(c, vault.name(), key, name, version, true);
        }
        List<KeyOperation> ops = material.isRsa() ? KeyOperation.RSA_DEFAULT : KeyOperation.EC_DEFAULT;
        byte[] pkcs8 = material.pkcs8();
        try {
            VersionRow row = new VersionRow(version, 0, material.publicKeyDer(),
                    dataKey.sealPrivateKey(vault.name(), key, version, pkcs8), KeyOperation.join(ops), enabled,
                    notBefore, expires, now, now, tagsJson(tags));
            store.insertVersion(c, vault.name(), key, row);
            return bundle(existing.map(KeyRow::name).orElse(name), true, row);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** The private key of a certificate's key version (for the certificate's backup). */
    public KeyMaterial openManaged(Connection c, Vault vault, String name, String version) throws SQLException {
        String key = KeyRules.nameKey(name, "key");
        VersionRow row = store.version(c, vault.name(), key, version).orElseThrow(() -> notFound(name + "/" + version));
        byte[] pkcs8 = openPrivate(dataKeys.of(c, vault.name()), vault.name(), key, row);
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
        Optional<VersionRow> row = store.version(c, vault.name(), key, version);
        if (row.isPresent()) {
            VersionRow v = row.get();
            store.updateVersion(c, vault.name(), key, new VersionRow(v.version(), v.seq(), v.publicKey(),
                    v.sealedPrivate(), v.keyOps(), enabled, v.notBefore(), v.expires(), v.created(), now(), v.tags()));
        }
    }

    /** Soft-deletes ({@code deletedAt} set) or recovers ({@code deletedAt} null) a certificate's key with it. */
    public void setManagedDeleted(Connection c, Vault vault, String name, Long deletedAt, Long purgeAt)
            throws SQLException {
        String key = KeyRules.nameKey(name, "key");
        if (deletedAt == null) {
            store.markRecovered(c, vault.name(), key);
        } else {
            store.markDeleted(c, vault.name(), key, deletedAt, purgeAt);
        }
    }

    /** Removes a certificate's key for good, with the certificate. */
    public void purgeManaged(Connection c, Vault vault, String name) throws SQLException {
        store.deleteKey(c, vault.name(), KeyRules.nameKey(name, "key"));
    }

    /** Purges the soft-deleted keys whose {@code scheduledPurgeDate} has passed. @return how many */
    public int purgeDue() {
        return store.purgeDue(clock);
    }

    @FunctionalInterface
    private interface KeyWork<T> {
        T run(KeyMaterial material, KeyBundle bundle);
    }

    /**
     * Runs an operation with a key version after the checks Key Vault makes: the operation is in its
     * {@code key_ops}, it is enabled, valid ({@code nbf}) and, for operations that protect new data, not expired.
     */
    private <T> T withKey(Vault vault, String name, String version, KeyOperation operation, String caller,
            KeyWork<T> work) {
        String key = KeyRules.nameKey(name, "key");
        String wanted = version == null ? null : KeyRules.version(version, "key");
        long now = now();
        return store.inTransaction(c -> {
            KeyRow row = live(c, vault.name(), key, name);
            VersionRow v = versionOf(c, vault.name(), row, wanted, name);
            KeyBundle bundle = bundle(row, v);
            if (!KeyOperation.split(v.keyOps()).contains(operation)) {
                throw KeysException.forbidden("Operation is not allowed.\r\nOperation: \"" + operation.jwkName()
                        + "\"\r\nCaller: " + caller + "\r\nKey: " + row.name() + "/" + v.version() + " (key_ops: "
                        + v.keyOps().replace(",", ", ") + ")\r\nVault: " + vault.name() + ";location="
                        + vault.location(), "ForbiddenByPolicy");
            }
            if (!v.enabled()) {
                throw KeysException.forbidden("Operation " + operation.jwkName() + " is not allowed on a disabled "
                        + "key.", "KeyDisabled");
            }
            if (v.notBefore() != null && now < v.notBefore()) {
                throw KeysException.forbidden("Operation " + operation.jwkName() + " is not allowed on a key that is "
                        + "not yet valid (nbf " + v.notBefore() + " is in the future).", "KeyNotYetValid");
            }
            boolean protectsNewData = operation == KeyOperation.ENCRYPT || operation == KeyOperation.WRAP_KEY
                    || operation == KeyOperation.SIGN;
            if (protectsNewData && v.expires() != null && now >= v.expires()) {
                throw KeysException.forbidden("Operation " + operation.jwkName() + " is not allowed on an expired key "
                        + "(exp " + v.expires() + "); decrypt, unwrapKey and verify still are.", "KeyExpired");
            }
            boolean needsPrivate = operation == KeyOperation.DECRYPT || operation == KeyOperation.UNWRAP_KEY
                    || operation == KeyOperation.SIGN;
            if (!needsPrivate) {
                return work.run(KeyMaterial.publicOnly(v.publicKey()), bundle);
            }
            byte[] pkcs8 = openPrivate(dataKeys.of(c, vault.name()), vault.name(), key, v);
            try {
                return work.run(KeyMaterial.of(pkcs8, v.publicKey()), bundle);
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        });
    }

    private static KeyMaterial generate(KeyCreate request) {
        String kty = request.kty();
        if (kty == null) {
            throw KeysException.badParameter("The request has no 'kty': creating a key needs kty RSA or EC.");
        }
        return switch (kty) {
            case "RSA" -> {
                if (request.crv() != null) {
                    throw KeysException.badParameter("crv '" + KeyRules.shown(request.crv()) + "' is given for an RSA "
                            + "key: crv is for kty EC only.");
                }
                if (request.publicExponent() != null && request.publicExponent() != 0
                        && request.publicExponent() != 65537) {
                    throw KeysException.badParameter("public_exponent " + request.publicExponent() + " is not "
                            + "supported: RSA keys are created with the exponent 65537.");
                }
                yield KeyMaterial.generateRsa(KeyRules.rsaSize(request.keySize()));
            }
            case "EC" -> {
                if (request.keySize() != null && request.keySize() != 0) {
                    throw KeysException.badParameter("key_size " + request.keySize() + " is given for an EC key: an EC "
                            + "key's size is its curve (crv).");
                }
                yield KeyMaterial.generateEc(request.crv() == null ? Curve.P_256 : Curve.of(request.crv()));
            }
            case "RSA-HSM", "EC-HSM", "oct-HSM", "oct" -> throw KeysException.badParameter("kty '" + kty + "' is not "
                    + "supported: Moat holds software-protected keys only (kty RSA or EC).");
            default -> throw KeysException.badParameter("kty '" + KeyRules.shown(kty) + "' is not a key type: use RSA "
                    + "or EC.");
        };
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
                    || document.versions() == null || document.versions().isEmpty()) {
                throw badBackup("it is not a key backup of format " + BACKUP_FORMAT);
            }
            for (BackupVersion v : document.versions()) {
                KeyRules.version(v.version(), "key");
            }
            return document;
        } catch (IOException e) {
            throw badBackup("its content is not a key backup");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static KeysException badBackup(String why) {
        return KeysException.badParameter("Cannot decrypt backup blob: " + why + ". A backup restores only into a "
                + "vault of the installation that made it (the same master key), unaltered.");
    }

    private static byte[] openPrivate(DataKey dataKey, String vault, String key, VersionRow row) {
        try {
            return dataKey.openPrivateKey(vault, key, row.version(), row.sealedPrivate());
        } catch (SealBrokenException e) {
            throw new IllegalStateException("the stored private key of key " + key + "/" + row.version() + " in vault "
                    + vault + " failed its integrity check (" + e.getMessage() + "); it is not used");
        }
    }

    private KeyRow live(Connection c, String vault, String key, String name) throws SQLException {
        return store.key(c, vault, key, false).filter(row -> row.deletedAt() == null)
                .orElseThrow(() -> notFound(name));
    }

    private KeyRow deleted(Connection c, String vault, String key, String name) throws SQLException {
        return store.key(c, vault, key, false).filter(row -> row.deletedAt() != null)
                .orElseThrow(() -> KeysException.notFound("KeyNotFound", "A deleted key with (name/id) " + name
                        + " was not found in this key vault. For help resolving this issue, please see "
                        + "https://go.microsoft.com/fwlink/?linkid=2125182"));
    }

    private VersionRow versionOf(Connection c, String vault, KeyRow key, String version, String name)
            throws SQLException {
        String wanted = version == null ? key.latestVersion() : version;
        return store.version(c, vault, key.nameKey(), wanted)
                .orElseThrow(() -> notFound(version == null ? name : name + "/" + version));
    }

    /** Key Vault's 404 for a key (or {@code name/version}) that is not there. */
    public static KeysException notFound(String nameOrId) {
        return KeysException.notFound("KeyNotFound", "A key with (name/id) " + nameOrId + " was not found in this key "
                + "vault. If you recently deleted this key you may be able to recover it using the correct recovery "
                + "command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");
    }

    private static KeysException deletedButRecoverable(String name) {
        return KeysException.conflict("Key " + name + " is currently in a deleted but recoverable state, and its name "
                + "cannot be reused; in this state, the key can only be recovered or purged.",
                "ObjectIsDeletedButRecoverable");
    }

    /** A certificate's key changes only with its certificate, as in Key Vault. */
    private static void refuseManaged(KeyRow row, String what) {
        if (row.managed()) {
            throw KeysException.forbidden("Key " + row.name() + " is managed by certificate " + row.name() + ": "
                    + what + " the certificate instead of its key.", "KeyManagedByCertificate");
        }
    }

    private DeletedKey deletedKey(KeyRow row, VersionRow latest) {
        return new DeletedKey(bundle(row, latest), row.deletedAt(), row.scheduledPurgeAt());
    }

    private KeyBundle bundle(KeyRow row, VersionRow version) {
        return bundle(row.name(), row.managed(), version);
    }

    private KeyBundle bundle(String name, boolean managed, VersionRow row) {
        JsonWebKey jwk = KeyMaterial.publicOnly(row.publicKey()).publicJwk(KeyOperation.split(row.keyOps()));
        return new KeyBundle(name, row.version(), jwk, new KeyAttributes(row.enabled(), row.notBefore(),
                row.expires(), row.created(), row.updated()), tags(row.tags()), managed);
    }

    private Map<String, String> tags(VersionRow row) {
        return tags(row.tags());
    }

    private Map<String, String> tags(String stored) {
        try {
            return json.readValue(stored, TAGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tags of a key version", e);
        }
    }

    private String tagsJson(Map<String, String> tags) {
        try {
            return json.writeValueAsString(tags == null ? Map.of() : tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise tags", e);
        }
    }

    private static long seq(String after) {
        if (after == null) {
            return 0;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw KeysException.badParameter("Invalid $skiptoken: it does not continue a list of key versions.");
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    static String newVersion() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
