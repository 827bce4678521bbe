package dev.moat.vault.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.crypto.DataKey;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.crypto.VaultDataKeys;
import dev.moat.vault.crypto.SealBrokenException;
import dev.moat.vault.secrets.SecretStore.Listed;
import dev.moat.vault.secrets.SecretStore.SecretRow;
import dev.moat.vault.secrets.SecretStore.VersionRow;
import dev.moat.vault.vaults.Vault;

/**
 * The rules of Key Vault secrets. Each operation is one transaction. Values are sealed with the vault's data key
 * (bound to vault, name and version) before they are stored, and opened only for get and backup.
 */
@ApplicationScoped
public class SecretService {

    /** What a backup blob holds once opened: every version with its value, oldest first. */
    record BackupDocument(int format, String name, String latestVersion, List<BackupVersion> versions) {
    }

    record BackupVersion(String version, String value, String contentType, boolean enabled, Long notBefore,
            Long expires, long created, long updated, Map<String, String> tags) {

        @Override
        public String toString() {
            return "BackupVersion[" + version + ", value=(redacted)]";
        }
    }

    private static final int BACKUP_FORMAT = 1;
    private static final long DAY = 86_400;
    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {
    };
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretStore store;
    private final MasterKeyRing masterKey;
    private final ObjectMapper json;
    private final Clock clock;
    private final VaultDataKeys dataKeys;

    @Inject
    public SecretService(SecretStore store, MasterKeyRing masterKey, ObjectMapper json) {
        this(store, masterKey, json, Clock.systemUTC());
    }

    SecretService(SecretStore store, MasterKeyRing masterKey, ObjectMapper json, Clock clock) {
        this.dataKeys = new VaultDataKeys(masterKey, clock);
        this.store = store;
        this.masterKey = masterKey;
        this.json = json;
        this.clock = clock;
    }

    /** Adds a version (the first one creates the secret); a soft-deleted name is refused with 409. */
    public Secret set(Vault vault, String name, SecretWrite write) {
        return store.inTransaction(c -> set(c, vault, name, write));
    }

    /** {@link #set(Vault, String, SecretWrite)} inside the caller's transaction (a certificate's secret). */
    public Secret set(Connection c, Vault vault, String name, SecretWrite write) throws SQLException {
        String key = SecretRules.nameKey(name);
        byte[] value = SecretRules.value(write.value());
        SecretRules.contentType(write.contentType());
        SecretRules.tags(write.tags());
        SecretRules.validityPeriod(write.notBefore(), write.expires());
        long now = now();
        String version = newVersion();
        String tags = tagsJson(write.tags());
        try {
            DataKey dataKey = dataKeys.of(c, vault.name());
            Optional<SecretRow> existing = store.secret(c, vault.name(), key, true);
            if (existing.isEmpty()) {
                store.lockVault(c, vault.name());
                existing = store.secret(c, vault.name(), key, true);
            }
            existing.filter(row -> row.deletedAt() != null).ifPresent(row -> {
                throw deletedButRecoverable(row.name());
            });
            String displayName = existing.map(SecretRow::name).orElse(name);
            if (existing.isEmpty()) {
                store.insertSecret(c, vault.name(), key, name, version);
            } else {
                store.setLatest(c, vault.name(), key, version);
            }
            VersionRow row = new VersionRow(version, 0, dataKey.sealSecret(vault.name(), key, version, value),
                    write.contentType(), write.enabled() == null || write.enabled(), write.notBefore(),
                    write.expires(), now, now, tags);
            store.insertVersion(c, vault.name(), key, row);
            return new Secret(properties(displayName, row), write.value());
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /**
     * The latest version ({@code version} null) or the given one, with its value; refused with 403 when the version
     * is disabled, not yet valid ({@code nbf}) or expired ({@code exp}).
     */
    public Secret get(Vault vault, String name, String version) {
        String key = SecretRules.nameKey(name);
        String wanted = version == null ? null : SecretRules.version(version);
        long now = now();
        return store.inTransaction(c -> {
            SecretRow secret = live(c, vault.name(), key, name);
            VersionRow row = versionOf(c, vault.name(), secret, wanted, name);
            if (!row.enabled()) {
                throw SecretsException.forbidden("Operation get is not allowed on a disabled secret.",
                        "SecretDisabled");
            }
            if (row.notBefore() != null && now < row.notBefore()) {
                throw SecretsException.forbidden("Operation get is not allowed on a secret that is not yet valid "
                        + "(nbf " + row.notBefore() + " is in the future).", "SecretNotYetValid");
            }
            if (row.expires() != null && now >= row.expires()) {
                throw SecretsException.forbidden("Operation get is not allowed on an expired secret (exp "
                        + row.expires() + ").", "SecretExpired");
            }
            return new Secret(properties(secret.name(), row), open(dataKeys.of(c, vault.name()), vault.name(), key, row));
        });
    }

    /** Changes the attributes, content type or tags of one version (the latest when {@code version} is null). */
    public SecretProperties update(Vault vault, String name, String version, SecretPatch patch) {
        String key = SecretRules.nameKey(name);
        String wanted = version == null ? null : SecretRules.version(version);
        if (patch.setsContentType()) {
            SecretRules.contentType(patch.contentType());
        }
        if (patch.tags() != null) {
            SecretRules.tags(patch.tags());
        }
        long now = now();
        return store.inTransaction(c -> {
            SecretRow secret = live(c, vault.name(), key, name);
            VersionRow row = versionOf(c, vault.name(), secret, wanted, name);
            Long notBefore = patch.setsNotBefore() ? patch.notBefore() : row.notBefore();
            Long expires = patch.setsExpires() ? patch.expires() : row.expires();
            SecretRules.validityPeriod(notBefore, expires);
            VersionRow updated = new VersionRow(row.version(), row.seq(), row.sealedValue(),
                    patch.setsContentType() ? patch.contentType() : row.contentType(),
                    patch.enabled() != null ? patch.enabled() : row.enabled(), notBefore, expires, row.created(), now,
                    patch.tags() != null ? tagsJson(patch.tags()) : row.tags());
            store.updateVersion(c, vault.name(), key, updated);
            return properties(secret.name(), updated);
        });
    }

    /** Live secrets by name (each with its latest version's properties), {@code max} per page. */
    public Page<SecretProperties> list(Vault vault, String after, int max) {
        List<Listed> rows = store.inTransaction(c -> store.list(c, vault.name(), false, after == null ? "" : after,
                max + 1));
        List<SecretProperties> items = new ArrayList<>();
        for (Listed row : rows.subList(0, Math.min(max, rows.size()))) {
            items.add(properties(row.secret().name(), row.latest()));
        }
        return new Page<>(items, rows.size() > max ? rows.get(max - 1).secret().nameKey() : null);
    }

    /** The versions of a live secret, oldest first, {@code max} per page. */
    public Page<SecretProperties> versions(Vault vault, String name, String after, int max) {
        String key = SecretRules.nameKey(name);
        long afterSeq = seq(after);
        return store.inTransaction(c -> {
            SecretRow secret = live(c, vault.name(), key, name);
            List<VersionRow> rows = store.versions(c, vault.name(), key, afterSeq, max + 1);
            List<SecretProperties> items = new ArrayList<>();
            for (VersionRow row : rows.subList(0, Math.min(max, rows.size()))) {
                items.add(properties(secret.name(), row));
            }
            return new Page<>(items, rows.size() > max ? Long.toString(rows.get(max - 1).seq()) : null);
        });
    }

    /**
     * Soft-deletes a secret with all its versions: recoverable until the vault's retention has passed. A vault with
     * soft delete off purges at once.
     */
    public DeletedSecret delete(Vault vault, String name) {
        String key = SecretRules.nameKey(name);
        Recovery recovery = Recovery.of(vault.properties());
        long now = now();
        return store.inTransaction(c -> {
            SecretRow secret = live(c, vault.name(), key, name);
            VersionRow latest = versionOf(c, vault.name(), secret, null, name);
            SecretProperties properties = properties(secret.name(), latest);
            if (!recovery.softDelete()) {
                store.deleteSecret(c, vault.name(), key);
                return new DeletedSecret(properties, null, null);
            }
            long purgeAt = now + recovery.days() * DAY;
            store.markDeleted(c, vault.name(), key, now, purgeAt);
            return new DeletedSecret(properties, now, purgeAt);
        });
    }

    public DeletedSecret getDeleted(Vault vault, String name) {
        String key = SecretRules.nameKey(name);
        return store.inTransaction(c -> {
            SecretRow secret = deleted(c, vault.name(), key, name);
            return deletedSecret(secret, versionOf(c, vault.name(), secret, null, name));
        });
    }

    public Page<DeletedSecret> listDeleted(Vault vault, String after, int max) {
        List<Listed> rows = store.inTransaction(c -> store.list(c, vault.name(), true, after == null ? "" : after,
                max + 1));
        List<DeletedSecret> items = new ArrayList<>();
        for (Listed row : rows.subList(0, Math.min(max, rows.size()))) {
            items.add(deletedSecret(row.secret(), row.latest()));
        }
        return new Page<>(items, rows.size() > max ? rows.get(max - 1).secret().nameKey() : null);
    }

    /** Brings a soft-deleted secret back with all its versions. */
    public SecretProperties recover(Vault vault, String name) {
        String key = SecretRules.nameKey(name);
        return store.inTransaction(c -> {
            SecretRow secret = deleted(c, vault.name(), key, name);
            store.markRecovered(c, vault.name(), key);
            return properties(secret.name(), versionOf(c, vault.name(), secret, null, name));
        });
    }

    /** Removes a soft-deleted secret for good; refused (403) when the vault has purge protection. */
    public void purge(Vault vault, String name) {
        String key = SecretRules.nameKey(name);
        store.inTransaction(c -> {
            deleted(c, vault.name(), key, name);
            if (Recovery.of(vault.properties()).purgeProtection()) {
                throw SecretsException.forbidden("Operation \"purge\" is not allowed because purge protection is "
                        + "enabled for this vault. Key Vault service will automatically purge it after the retention "
                        + "period has passed.", "PurgeProtectionEnabled");
            }
            store.deleteSecret(c, vault.name(), key);
            return null;
        });
    }

    /**
     * All versions of a live secret, sealed under a key derived from the master key: the blob reveals nothing, and
     * only this installation (an installation holding the same master key) can restore it, into any of its vaults.
     */
    public byte[] backup(Vault vault, String name) {
        String key = SecretRules.nameKey(name);
        BackupDocument document = store.inTransaction(c -> {
            SecretRow secret = live(c, vault.name(), key, name);
            DataKey dataKey = dataKeys.of(c, vault.name());
            List<BackupVersion> versions = new ArrayList<>();
            long after = 0;
            for (List<VersionRow> page = store.versions(c, vault.name(), key, after, 100); !page.isEmpty();
                    page = store.versions(c, vault.name(), key, after, 100)) {
                for (VersionRow row : page) {
                    versions.add(new BackupVersion(row.version(), open(dataKey, vault.name(), key, row), row.contentType(),
                            row.enabled(), row.notBefore(), row.expires(), row.created(), row.updated(), tags(row)));
                    after = row.seq();
                }
            }
            return new BackupDocument(BACKUP_FORMAT, secret.name(), secret.latestVersion(), versions);
        });
        byte[] plaintext;
        try {
            plaintext = json.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the backup of secret " + name, e);
        }
        try {
            return masterKey.sealBackup(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Restores a backup with all its versions; refused (409) when the name exists, live or soft-deleted. */
    public SecretProperties restore(Vault vault, byte[] blob) {
        BackupDocument document = openBackup(blob);
        String key = SecretRules.nameKey(document.name());
        return store.inTransaction(c -> {
            DataKey dataKey = dataKeys.of(c, vault.name());
            store.lockVault(c, vault.name());
            Optional<SecretRow> existing = store.secret(c, vault.name(), key, true);
            if (existing.isPresent()) {
                if (existing.get().deletedAt() != null) {
                    throw deletedButRecoverable(existing.get().name());
                }
                throw SecretsException.conflict("Secret " + existing.get().name() + " already exists in this key "
                        + "vault: a backup is restored only under a name that is free (delete and purge the secret "
                        + "first, or restore into another vault).", "ObjectAlreadyExists");
            }
            store.insertSecret(c, vault.name(), key, document.name(), document.latestVersion());
            VersionRow latest = null;
            for (BackupVersion v : document.versions()) {
                byte[] value = v.value().getBytes(StandardCharsets.UTF_8);
                VersionRow row = new VersionRow(v.version(), 0,
                        dataKey.sealSecret(vault.name(), key, v.version(), value), v.contentType(), v.enabled(),
                        v.notBefore(), v.expires(), v.created(), v.updated(), tagsJson(v.tags()));
                Arrays.fill(value, (byte) 0);
                store.insertVersion(c, vault.name(), key, row);
                if (v.version().equals(document.latestVersion())) {
                    latest = row;
                }
            }
            if (latest == null) {
                throw badBackup("it names a latest version it does not hold");
            }
            return properties(document.name(), latest);
        });
    }

    /** Purges the soft-deleted secrets whose {@code scheduledPurgeDate} has passed. @return how many */
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
            if (document.format() != BACKUP_FORMAT || document.name() == null || document.versions() == null
                    || document.versions().isEmpty()) {
                throw badBackup("it is not a secret backup of format " + BACKUP_FORMAT);
            }
            for (BackupVersion v : document.versions()) {
                SecretRules.version(v.version());
            }
            return document;
        } catch (IOException e) {
            throw badBackup("its content is not a secret backup");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static SecretsException badBackup(String why) {
        return SecretsException.badParameter("Cannot decrypt backup blob: " + why + ". A backup restores only into a "
                + "vault of the installation that made it (the same master key), unaltered.");
    }

    private static String open(DataKey dataKey, String vault, String key, VersionRow row) {
        byte[] plaintext;
        try {
            plaintext = dataKey.openSecret(vault, key, row.version(), row.sealedValue());
        } catch (SealBrokenException e) {
            throw new IllegalStateException("the stored value of secret " + key + "/" + row.version() + " in vault "
                    + vault + " failed its integrity check (" + e.getMessage() + "); it is not served");
        }
        try {
            return new String(plaintext, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private SecretRow live(Connection c, String vault, String key, String name) throws SQLException {
        return store.secret(c, vault, key, false).filter(row -> row.deletedAt() == null)
                .orElseThrow(() -> notFound(name));
    }

    private SecretRow deleted(Connection c, String vault, String key, String name) throws SQLException {
        return store.secret(c, vault, key, false).filter(row -> row.deletedAt() != null)
                .orElseThrow(() -> SecretsException.notFound("A deleted secret with (name/id) " + name + " was not "
                        + "found in this key vault. For help resolving this issue, please see "
                        + "https://go.microsoft.com/fwlink/?linkid=2125182"));
    }

    private VersionRow versionOf(Connection c, String vault, SecretRow secret, String version, String name)
            throws SQLException {
        String wanted = version == null ? secret.latestVersion() : version;
        return store.version(c, vault, secret.nameKey(), wanted)
                .orElseThrow(() -> notFound(version == null ? name : name + "/" + version));
    }

    /** Key Vault's 404 for a secret (or {@code name/version}) that is not there. */
    public static SecretsException notFound(String nameOrId) {
        return SecretsException.notFound("A secret with (name/id) " + nameOrId + " was not found in this key vault. "
                + "If you recently deleted this secret you may be able to recover it using the correct recovery "
                + "command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");
    }

    private static SecretsException deletedButRecoverable(String name) {
        return SecretsException.conflict("Secret " + name + " is currently in a deleted but recoverable state, and its "
                + "name cannot be reused; in this state, the secret can only be recovered or purged.",
                "ObjectIsDeletedButRecoverable");
    }

    private DeletedSecret deletedSecret(SecretRow secret, VersionRow latest) {
        return new DeletedSecret(properties(secret.name(), latest), secret.deletedAt(), secret.scheduledPurgeAt());
    }

    private SecretProperties properties(String name, VersionRow row) {
        return new SecretProperties(name, row.version(), row.contentType(), new SecretAttributes(row.enabled(),
                row.notBefore(), row.expires(), row.created(), row.updated()), tags(row));
    }

    private Map<String, String> tags(VersionRow row) {
        try {
            return json.readValue(row.tags(), TAGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tags of secret version " + row.version(), e);
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
            throw SecretsException.badParameter("Invalid $skiptoken: it does not continue a list of secret versions.");
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
