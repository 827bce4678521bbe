package dev.moat.vault.keys;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.keys.KeyRepository.KeyRow;
import dev.moat.vault.keys.KeyRepository.VersionRow;
import dev.moat.vault.store.JobLeases;
import dev.moat.vault.store.JobRunner;
import dev.moat.vault.store.Lease;
import dev.moat.vault.store.LeasedJob;
import dev.moat.vault.store.VaultObjectTables;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultStore;
import io.quarkus.scheduler.Scheduled;

/**
 * Key rotation: a key's rotation policy, rotation on demand, and the policies' {@code Rotate} actions carried out
 * every {@code moat.vault.secrets.purge-interval} (the one housekeeping interval of a vault's objects): each key whose
 * rotation is due gets a new version, from one replica only ({@link #rotationJob}).
 */
@ApplicationScoped
public class KeyRotator {

    private static final Logger LOG = Logger.getLogger(KeyRotator.class);
    private static final TypeReference<List<RotationPolicy.LifetimeAction>> ACTIONS = new TypeReference<>() {
    };

    private final KeyService keys;
    private final KeyRepository store;
    private final ObjectMapper json;
    private final VaultStore vaults;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public KeyRotator(KeyService keys, KeyRepository store, ObjectMapper json, VaultStore vaults) {
        this.keys = keys;
        this.store = store;
        this.json = json;
        this.vaults = vaults;
    }

    @Scheduled(identity = "rotate-keys", every = "${moat.vault.secrets.purge-interval}",
            delayed = "${moat.vault.secrets.purge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        rotate();
    }

    /** @return how many keys this replica rotated */
    int rotate() {
        try {
            int rotated = rotateDue(vaults::find);
            if (rotated > 0) {
                LOG.infof("rotated %d key(s) whose rotation policy said so", rotated);
            }
            return rotated;
        } catch (RuntimeException e) {
            LOG.warnf("rotating keys by their policies failed, will retry: %s", e.toString());
            return 0;
        }
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
        Latest latest = keys.lifecycle().inTransaction(c -> {
            KeyRow row = keys.lifecycle().live(c, vault.name(), key, name);
            KeyService.refuseManaged(row, "rotate");
            Long expires = store.rotationPolicy(c, vault.name(), key).map(this::policy)
                    .map(policy -> policy.expiryOfVersionMadeAt(now)).orElse(null);
            return new Latest(keys.lifecycle().versionOf(c, vault.name(), row, null, name), expires);
        });
        KeyMaterial current = KeyMaterial.publicOnly(latest.version().publicKey());
        KeyMaterial material = current.isRsa() ? KeyMaterial.generateRsa(current.rsaBits())
                : KeyMaterial.generateEc(current.curve());
        return keys.write(vault, name, material, KeyOperation.split(latest.version().keyOps()), true, null,
                latest.expires(), keys.lifecycle().tags(latest.version().tags()));
    }

    /** The key's rotation policy, or Key Vault's default when it has none. */
    public RotationPolicy rotationPolicy(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "key");
        return keys.lifecycle().inTransaction(c -> {
            keys.lifecycle().live(c, vault.name(), key, name);
            return store.rotationPolicy(c, vault.name(), key).map(this::policy).orElse(RotationPolicy.DEFAULT);
        });
    }

    /** Replaces the key's rotation policy (checked by {@link RotationPolicy#validated}). */
    public RotationPolicy setRotationPolicy(Vault vault, String name, String expiryTime,
            List<RotationPolicy.LifetimeAction> actions) {
        String key = KeyRules.nameKey(name, "key");
        RotationPolicy policy = RotationPolicy.validated(expiryTime, actions);
        long now = now();
        return keys.lifecycle().inTransaction(c -> {
            KeyRow row = keys.lifecycle().live(c, vault.name(), key, name);
            KeyService.refuseManaged(row, "set a rotation policy on");
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
                    if (items.size() < limit && keys.lifecycle().inTransaction(c -> dueVersion(c, row.vault(), row.nameKey(),
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
        Optional<VersionRow> seen = keys.lifecycle().inTransaction(c -> dueVersion(c, key[0], key[1], now, false));
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
            String name = KeyRepository.ROWS.object(c, key[0], key[1], false).orElseThrow().name();
            keys.write(c, vault.get(), name, material, KeyOperation.split(latest.get().keyOps()), true, null, expires,
                    keys.lifecycle().tags(latest.get().tags()));
            return true;
        });
    }

    /** The latest version of a live key of the customer's whose rotation policy says it is due now. */
    private Optional<VersionRow> dueVersion(Connection c, String vault, String nameKey, long now, boolean lock)
            throws SQLException {
        Optional<KeyRow> key = KeyRepository.ROWS.object(c, vault, nameKey, lock);
        Optional<KeyRepository.PolicyRow> policy = store.rotationPolicy(c, vault, nameKey);
        if (key.isEmpty() || key.get().deletedAt() != null || key.get().managed() || policy.isEmpty()) {
            return Optional.empty();
        }
        return KeyRepository.ROWS.version(c, vault, nameKey, key.get().latestVersion())
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


    private long now() {
        return clock.instant().getEpochSecond();
    }
}
