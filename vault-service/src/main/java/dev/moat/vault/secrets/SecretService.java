package dev.moat.vault.secrets;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.crypto.DataKey;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.crypto.SealBrokenException;
import dev.moat.vault.objects.Attributes;
import dev.moat.vault.objects.Backups;
import dev.moat.vault.objects.Deleted;
import dev.moat.vault.objects.Lifecycle;
import dev.moat.vault.objects.ObjectNames;
import dev.moat.vault.objects.Page;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.objects.VaultObjectService;
import dev.moat.vault.secrets.SecretStore.SecretRow;
import dev.moat.vault.secrets.SecretStore.VersionRow;
import dev.moat.vault.vaults.Vault;

/**
 * The rules of Key Vault secrets: what is a secret's own (its value, sealed with the vault's data key bound to vault,
 * name and version before it is stored, and opened only for get and backup; its content type), over the lifecycle
 * every vault object shares ({@link Lifecycle}). Each operation is one transaction.
 */
@ApplicationScoped
public class SecretService extends VaultObjectService<SecretRow, VersionRow, SecretProperties> {

    /** What a backup blob holds once opened: every version with its value, oldest first. */
    record BackupDocument(int format, String name, String latestVersion, List<BackupVersion> versions)
            implements Backups.Document {
    }

    record BackupVersion(String version, String value, String contentType, boolean enabled, Long notBefore,
            Long expires, long created, long updated, Map<String, String> tags) implements Backups.Version {

        @Override
        public String toString() {
            return "BackupVersion[" + version + ", value=(redacted)]";
        }
    }

    private final SecretStore store;

    @Inject
    public SecretService(SecretStore store, MasterKeyRing masterKey, ObjectMapper json) {
        this(store, masterKey, json, Clock.systemUTC());
    }

    SecretService(SecretStore store, MasterKeyRing masterKey, ObjectMapper json, Clock clock) {
        super(new Lifecycle<>("secret", "SecretNotFound", SecretStore.ROWS, store.dataSource(), masterKey, json, clock,
                new Lifecycle.Rules<>() {
                }));
        this.store = store;
    }

    /** Adds a version (the first one creates the secret); a soft-deleted name is refused with 409. */
    public Secret set(Vault vault, String name, SecretWrite write) {
        return objects.inTransaction(c -> set(c, vault, name, write));
    }

    /** {@link #set(Vault, String, SecretWrite)} inside the caller's transaction (a certificate's secret). */
    public Secret set(Connection c, Vault vault, String name, SecretWrite write) throws SQLException {
        String key = objects.nameKey(name);
        byte[] value = SecretRules.value(write.value());
        SecretRules.contentType(write.contentType());
        SecretRules.tags(write.tags());
        SecretRules.validityPeriod(write.notBefore(), write.expires());
        long now = objects.now();
        String version = ObjectNames.newVersion();
        String tags = objects.tagsJson(write.tags());
        try {
            DataKey dataKey = objects.dataKey(c, vault.name());
            Optional<SecretRow> existing = objects.forNewVersion(c, vault.name(), key);
            if (existing.isEmpty()) {
                store.insertSecret(c, vault.name(), key, name, version);
            } else {
                SecretStore.ROWS.setLatest(c, vault.name(), key, version);
            }
            VersionRow row = new VersionRow(version, 0, dataKey.sealSecret(vault.name(), key, version, value),
                    write.contentType(), write.enabled() == null || write.enabled(), write.notBefore(),
                    write.expires(), now, now, tags);
            store.insertVersion(c, vault.name(), key, row);
            return new Secret(properties(existing.map(SecretRow::name).orElse(name), row), write.value());
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /**
     * The latest version ({@code version} null) or the given one, with its value; refused with 403 when the version
     * is disabled, not yet valid ({@code nbf}) or expired ({@code exp}).
     */
    public Secret get(Vault vault, String name, String version) {
        String key = objects.nameKey(name);
        String wanted = objects.version(version);
        long now = objects.now();
        return objects.inTransaction(c -> {
            var found = objects.liveVersion(c, vault.name(), key, wanted, name);
            SecretRow secret = found.object();
            VersionRow row = found.version();
            if (!row.enabled()) {
                throw VaultObjectException.forbidden("Operation get is not allowed on a disabled secret.",
                        "SecretDisabled");
            }
            if (row.notBefore() != null && now < row.notBefore()) {
                throw VaultObjectException.forbidden("Operation get is not allowed on a secret that is not yet valid "
                        + "(nbf " + row.notBefore() + " is in the future).", "SecretNotYetValid");
            }
            if (row.expires() != null && now >= row.expires()) {
                throw VaultObjectException.forbidden("Operation get is not allowed on an expired secret (exp "
                        + row.expires() + ").", "SecretExpired");
            }
            return new Secret(properties(secret.name(), row), open(objects.dataKey(c, vault.name()), vault.name(), key,
                    row));
        });
    }

    /** Changes the attributes, content type or tags of one version (the latest when {@code version} is null). */
    public SecretProperties update(Vault vault, String name, String version, SecretPatch patch) {
        if (patch.setsContentType()) {
            SecretRules.contentType(patch.contentType());
        }
        if (patch.tags() != null) {
            SecretRules.tags(patch.tags());
        }
        long now = objects.now();
        return objects.update(vault, name, version, (c, secret, row) -> {
            Long notBefore = patch.notBefore(row.notBefore());
            Long expires = patch.expires(row.expires());
            SecretRules.validityPeriod(notBefore, expires);
            VersionRow updated = new VersionRow(row.version(), row.seq(), row.sealedValue(),
                    patch.setsContentType() ? patch.contentType() : row.contentType(), patch.enabled(row.enabled()),
                    notBefore, expires, row.created(), now, objects.tagsJson(patch, row.tags()));
            store.updateVersion(c, vault.name(), secret.nameKey(), updated);
            return properties(secret.name(), updated);
        });
    }

    /**
     * All versions of a live secret, sealed under a key derived from the master key: the blob reveals nothing, and
     * only this installation (an installation holding the same master key) can restore it, into any of its vaults.
     */
    public byte[] backup(Vault vault, String name) {
        String key = objects.nameKey(name);
        BackupDocument document = objects.inTransaction(c -> {
            SecretRow secret = objects.live(c, vault.name(), key, name);
            DataKey dataKey = objects.dataKey(c, vault.name());
            List<BackupVersion> versions = new ArrayList<>();
            for (VersionRow row : objects.allVersions(c, vault.name(), key)) {
                versions.add(new BackupVersion(row.version(), open(dataKey, vault.name(), key, row), row.contentType(),
                        row.enabled(), row.notBefore(), row.expires(), row.created(), row.updated(),
                        objects.tags(row.tags())));
            }
            return new BackupDocument(Backups.format(), secret.name(), secret.latestVersion(), versions);
        });
        return objects.backups().seal(document, name);
    }

    /** Restores a backup with all its versions; refused (409) when the name exists, live or soft-deleted. */
    public SecretProperties restore(Vault vault, byte[] blob) {
        BackupDocument document = objects.backups().open(blob, BackupDocument.class);
        document.versions().forEach(v -> objects.version(v.version()));
        String key = objects.nameKey(document.name());
        return objects.inTransaction(c -> {
            DataKey dataKey = objects.dataKey(c, vault.name());
            objects.refuseTaken(c, vault.name(), key);
            store.insertSecret(c, vault.name(), key, document.name(), document.latestVersion());
            VersionRow latest = null;
            for (BackupVersion v : document.versions()) {
                byte[] value = v.value().getBytes(StandardCharsets.UTF_8);
                VersionRow row = new VersionRow(v.version(), 0,
                        dataKey.sealSecret(vault.name(), key, v.version(), value), v.contentType(), v.enabled(),
                        v.notBefore(), v.expires(), v.created(), v.updated(), objects.tagsJson(v.tags()));
                Arrays.fill(value, (byte) 0);
                store.insertVersion(c, vault.name(), key, row);
                if (v.version().equals(document.latestVersion())) {
                    latest = row;
                }
            }
            if (latest == null) {
                throw objects.backups().bad("it names a latest version it does not hold");
            }
            return properties(document.name(), latest);
        });
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

    @Override
    protected SecretProperties describe(SecretRow secret, VersionRow row) {
        return properties(secret.name(), row);
    }

    private SecretProperties properties(String name, VersionRow row) {
        return new SecretProperties(name, row.version(), row.contentType(), new Attributes(row.enabled(),
                row.notBefore(), row.expires(), row.created(), row.updated()), objects.tags(row.tags()));
    }
}
