package dev.moat.vault.objects;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.crypto.DataKey;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.crypto.SealBrokenException;
import dev.moat.vault.crypto.VaultDataKeys;
import dev.moat.vault.store.Jdbc;
import dev.moat.vault.store.VaultObjectRows.Listed;
import dev.moat.vault.store.VaultObjectRows;
import dev.moat.vault.vaults.Vault;

/**
 * The lifecycle of one type of versioned vault object, written once for secrets, keys and certificates: lookups that
 * answer Key Vault's 404 and 409, paging of objects and versions, soft delete, recovery and purge (under the vault's
 * retention and purge protection), the sealing of backups, tags and new versions. Each operation is one transaction.
 * A type adds its own columns ({@link VaultObjectRows}) and, through {@link Rules}, its own refusals and what follows
 * the object (a certificate's key).
 *
 * @param <O> the type's object row
 * @param <V> the type's version row
 */
public final class Lifecycle<O extends VaultObjectRows.ObjectRow, V extends VaultObjectRows.VersionRow> {

    /** What one type adds to the shared lifecycle; every hook runs inside the operation's transaction. */
    public interface Rules<O> {

        /** Refuses an operation on an object, by throwing (a key that a certificate manages). */
        default void refuse(O object, String operation) {
        }

        /** Follows a soft delete ({@code deletedAt} set) or a recovery ({@code deletedAt} null) of the object. */
        default void deleted(Connection c, Vault vault, O object, Long deletedAt, Long purgeAt) throws SQLException {
        }

        /** Follows the removal of the object for good. */
        default void removed(Connection c, Vault vault, O object) throws SQLException {
        }
    }

    /** A change to one version of an object, inside the operation's transaction. */
    @FunctionalInterface
    public interface Change<O, V, T> {
        T apply(Connection c, O object, V version) throws SQLException;
    }

    private static final long DAY = 86_400;
    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {
    };

    private final String noun;
    private final String notFoundCode;
    private final VaultObjectRows<O, V> rows;
    private final DataSource dataSource;
    private final Backups backups;
    private final VaultDataKeys dataKeys;
    private final ObjectMapper json;
    private final Clock clock;
    private final Rules<O> rules;

    /**
     * @param noun what Key Vault's messages call the type ({@code secret}, {@code key}, {@code certificate})
     * @param notFoundCode the error code of its 404 ({@code SecretNotFound}, …)
     */
    public Lifecycle(String noun, String notFoundCode, VaultObjectRows<O, V> rows, DataSource dataSource,
            MasterKeyRing masterKey, ObjectMapper json, Clock clock, Rules<O> rules) {
        this.noun = noun;
        this.notFoundCode = notFoundCode;
        this.rows = rows;
        this.dataSource = dataSource;
        this.backups = new Backups(noun, masterKey, json);
        this.dataKeys = new VaultDataKeys(masterKey, clock);
        this.json = json;
        this.clock = clock;
        this.rules = rules;
    }

    /** What messages call one object: {@code secret}, {@code key}, {@code certificate}. */
    public String noun() {
        return noun;
    }

    public VaultObjectRows<O, V> rows() {
        return rows;
    }

    public <T> T inTransaction(Jdbc.Work<T> work) {
        return Jdbc.inTransaction(dataSource, noun + " store", work);
    }

    /** The name's case-insensitive key, or a 400. */
    public String nameKey(String name) {
        return ObjectNames.nameKey(name, noun);
    }

    /** A version as stored (lower case), or null for the latest; a malformed one is a 400. */
    public String version(String version) {
        return version == null ? null : ObjectNames.version(version, noun);
    }

    /** The live object, or Key Vault's 404. */
    public O live(Connection c, String vault, String nameKey, String name) throws SQLException {
        return rows.object(c, vault, nameKey, false).filter(row -> row.deletedAt() == null)
                .orElseThrow(() -> notFound(name));
    }

    /**
     * The live object and its given version, or its latest ({@code version} null), read together; or Key Vault's 404,
     * for the object when it is not live, else for the version.
     */
    public VaultObjectRows.Found<O, V> liveVersion(Connection c, String vault, String nameKey, String version,
            String name) throws SQLException {
        VaultObjectRows.Found<O, V> found = rows.objectWithVersion(c, vault, nameKey, version)
                .filter(row -> row.object().deletedAt() == null)
                .orElseThrow(() -> notFound(name));
        if (found.version() == null) {
            throw notFound(version == null ? name : name + "/" + version);
        }
        return found;
    }

    /** The soft-deleted object, or Key Vault's 404 for a deleted object. */
    public O deleted(Connection c, String vault, String nameKey, String name) throws SQLException {
        return rows.object(c, vault, nameKey, false).filter(row -> row.deletedAt() != null)
                .orElseThrow(() -> VaultObjectException.notFound(notFoundCode, "A deleted " + noun + " with (name/id) "
                        + name + " was not found in this key vault. For help resolving this issue, please see "
                        + "https://go.microsoft.com/fwlink/?linkid=2125182"));
    }

    /** The given version of an object, or its latest ({@code version} null), or Key Vault's 404. */
    public V versionOf(Connection c, String vault, O object, String version, String name) throws SQLException {
        String wanted = version == null ? object.latestVersion() : version;
        return rows.version(c, vault, object.nameKey(), wanted)
                .orElseThrow(() -> notFound(version == null ? name : name + "/" + version));
    }

    /**
     * The object a new version is added to, locked until the transaction ends (empty for a new name, with the vault
     * locked so that two requests make one object); a soft-deleted name is refused with 409.
     */
    public Optional<O> forNewVersion(Connection c, String vault, String nameKey) throws SQLException {
        Optional<O> existing = rows.object(c, vault, nameKey, true);
        if (existing.isEmpty()) {
            VaultObjectRows.lockVault(c, vault);
            existing = rows.object(c, vault, nameKey, true);
        }
        existing.filter(row -> row.deletedAt() != null).ifPresent(row -> {
            throw deletedButRecoverable(row.name());
        });
        return existing;
    }

    /** Refuses to restore a backup over a name that is taken (409), live or soft-deleted. */
    public void refuseTaken(Connection c, String vault, String nameKey) throws SQLException {
        VaultObjectRows.lockVault(c, vault);
        Optional<O> existing = rows.object(c, vault, nameKey, true);
        if (existing.isPresent()) {
            if (existing.get().deletedAt() != null) {
                throw deletedButRecoverable(existing.get().name());
            }
            throw VaultObjectException.conflict(capitalised() + " " + existing.get().name() + " already exists in "
                    + "this key vault: a backup is restored only under a name that is free (delete and purge the "
                    + noun + " first, or restore into another vault).", "ObjectAlreadyExists");
        }
    }

    /** The latest version ({@code version} null) or the given one of a live object. */
    public <T> T get(Vault vault, String name, String version, BiFunction<O, V, T> describe) {
        String key = nameKey(name);
        String wanted = version(version);
        return inTransaction(c -> {
            VaultObjectRows.Found<O, V> found = liveVersion(c, vault.name(), key, wanted, name);
            return describe.apply(found.object(), found.version());
        });
    }

    /**
     * Changes one version of a live object (the latest when {@code version} is null) in one transaction, unless the
     * type refuses the update.
     */
    public <T> T update(Vault vault, String name, String version, Change<O, V, T> change) {
        String key = nameKey(name);
        String wanted = version(version);
        return inTransaction(c -> {
            O object = live(c, vault.name(), key, name);
            rules.refuse(object, "update");
            return change.apply(c, object, versionOf(c, vault.name(), object, wanted, name));
        });
    }

    /** Live (or soft-deleted) objects by name, each with its latest version, {@code max} per page. */
    public <T> Page<T> list(Vault vault, boolean deleted, String after, int max, BiFunction<O, V, T> describe) {
        List<Listed<O, V>> found = inTransaction(c -> rows.list(c, vault.name(), deleted, after == null ? "" : after,
                max + 1));
        List<T> items = new ArrayList<>();
        for (Listed<O, V> row : found.subList(0, Math.min(max, found.size()))) {
            items.add(describe.apply(row.object(), row.latest()));
        }
        return new Page<>(items, found.size() > max ? found.get(max - 1).object().nameKey() : null);
    }

    /** The versions of a live object, oldest first, {@code max} per page. */
    public <T> Page<T> versions(Vault vault, String name, String after, int max, BiFunction<O, V, T> describe) {
        String key = nameKey(name);
        long afterSeq = seq(after);
        return inTransaction(c -> {
            O object = live(c, vault.name(), key, name);
            List<V> found = rows.versions(c, vault.name(), key, afterSeq, max + 1);
            List<T> items = new ArrayList<>();
            for (V row : found.subList(0, Math.min(max, found.size()))) {
                items.add(describe.apply(object, row));
            }
            return new Page<>(items, found.size() > max ? Long.toString(found.get(max - 1).seq()) : null);
        });
    }

    /** Every version of an object in creation order, page by page (for a backup). */
    public List<V> allVersions(Connection c, String vault, String nameKey) throws SQLException {
        List<V> all = new ArrayList<>();
        long after = 0;
        for (List<V> page = rows.versions(c, vault, nameKey, after, 100); !page.isEmpty();
                page = rows.versions(c, vault, nameKey, after, 100)) {
            all.addAll(page);
            after = page.get(page.size() - 1).seq();
        }
        return all;
    }

    /**
     * Soft-deletes an object with all its versions: recoverable until the vault's retention has passed. A vault with
     * soft delete off purges at once.
     */
    public <T extends Named> Deleted<T> delete(Vault vault, String name, BiFunction<O, V, T> describe) {
        String key = nameKey(name);
        Recovery recovery = Recovery.of(vault.properties());
        long now = now();
        return inTransaction(c -> {
            O object = live(c, vault.name(), key, name);
            rules.refuse(object, "delete");
            T latest = describe.apply(object, versionOf(c, vault.name(), object, null, name));
            if (!recovery.softDelete()) {
                rows.tables().remove(c, vault.name(), key);
                rules.removed(c, vault, object);
                return new Deleted<>(latest, null, null);
            }
            long purgeAt = now + recovery.days() * DAY;
            rows.tables().markDeleted(c, vault.name(), key, now, purgeAt);
            rules.deleted(c, vault, object, now, purgeAt);
            return new Deleted<>(latest, now, purgeAt);
        });
    }

    public <T extends Named> Deleted<T> getDeleted(Vault vault, String name, BiFunction<O, V, T> describe) {
        String key = nameKey(name);
        return inTransaction(c -> {
            O object = deleted(c, vault.name(), key, name);
            return new Deleted<>(describe.apply(object, versionOf(c, vault.name(), object, null, name)),
                    object.deletedAt(), object.scheduledPurgeAt());
        });
    }

    public <T extends Named> Page<Deleted<T>> listDeleted(Vault vault, String after, int max,
            BiFunction<O, V, T> describe) {
        return list(vault, true, after, max, (object, latest) -> new Deleted<>(describe.apply(object, latest),
                object.deletedAt(), object.scheduledPurgeAt()));
    }

    /** Brings a soft-deleted object back with all its versions. */
    public <T> T recover(Vault vault, String name, BiFunction<O, V, T> describe) {
        String key = nameKey(name);
        return inTransaction(c -> {
            O object = deleted(c, vault.name(), key, name);
            rules.refuse(object, "recover");
            rows.tables().markRecovered(c, vault.name(), key);
            rules.deleted(c, vault, object, null, null);
            return describe.apply(object, versionOf(c, vault.name(), object, null, name));
        });
    }

    /** Removes a soft-deleted object for good; refused (403) when the vault has purge protection. */
    public void purge(Vault vault, String name) {
        String key = nameKey(name);
        inTransaction(c -> {
            O object = deleted(c, vault.name(), key, name);
            rules.refuse(object, "purge");
            if (Recovery.of(vault.properties()).purgeProtection()) {
                throw VaultObjectException.forbidden("Operation \"purge\" is not allowed because purge protection is "
                        + "enabled for this vault. Key Vault service will automatically purge it after the retention "
                        + "period has passed.", "PurgeProtectionEnabled");
            }
            rows.tables().remove(c, vault.name(), key);
            rules.removed(c, vault, object);
            return null;
        });
    }

    /** Purges the soft-deleted objects whose {@code scheduledPurgeDate} has passed, each once. @return how many */
    public int purgeDue() {
        return rows.tables().purgeDue(dataSource, clock);
    }

    /** The sealing and opening of this type's backups. */
    public Backups backups() {
        return backups;
    }

    /** Key Vault's 404 for an object (or {@code name/version}) that is not there. */
    public VaultObjectException notFound(String nameOrId) {
        return VaultObjectException.notFound(notFoundCode, "A " + noun + " with (name/id) " + nameOrId + " was not "
                + "found in this key vault. If you recently deleted this " + noun + " you may be able to recover it "
                + "using the correct recovery command. For help resolving this issue, please see "
                + "https://go.microsoft.com/fwlink/?linkid=2125182");
    }

    public VaultObjectException deletedButRecoverable(String name) {
        return VaultObjectException.conflict(capitalised() + " " + name + " is currently in a deleted but recoverable "
                + "state, and its name cannot be reused; in this state, the " + noun + " can only be recovered or "
                + "purged.", "ObjectIsDeletedButRecoverable");
    }

    public Map<String, String> tags(String stored) {
        try {
            return json.readValue(stored, TAGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tags of a " + noun + " version", e);
        }
    }

    public String tagsJson(Map<String, String> tags) {
        return write(tags == null ? Map.of() : tags);
    }

    /** The stored tags after an update: the patch's when it names any, else the {@code current} JSON unchanged. */
    public String tagsJson(AttributesPatch patch, String current) {
        return patch.tags() != null ? tagsJson(patch.tags()) : current;
    }

    /** A value stored as JSON (a policy, a request). */
    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** A value stored as JSON, read back. */
    public <T> T read(String stored, Class<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored " + type.getSimpleName(), e);
        }
    }

    /** The vault's data key (made on first use), inside the caller's transaction: what seals a type's values. */
    public DataKey dataKey(Connection c, String vault) throws SQLException {
        return dataKeys.of(c, vault);
    }

    public long now() {
        return clock.instant().getEpochSecond();
    }

    private long seq(String after) {
        if (after == null) {
            return 0;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw VaultObjectException.badParameter("Invalid $skiptoken: it does not continue a list of " + noun
                    + " versions.");
        }
    }

    private String capitalised() {
        return Character.toUpperCase(noun.charAt(0)) + noun.substring(1);
    }
}
