package dev.moat.vault.crypto;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The master keys a replica holds: one primary, which wraps new data keys and seals new backups, and any number of
 * further keys, which only open what they wrapped or sealed before. A rotation adds the new key as a further key on
 * every replica first, then makes it primary, so that no replica ever meets a data key wrapped under a key it does
 * not hold (docs/adr/0018-master-key-rotation.md). A single configured key is a ring of one.
 *
 * <p>A data key it has opened is remembered for as long as it is in use ({@link #OPENED_KEYS} at most, each forgotten
 * {@link #FORGET_AFTER} after its last use), so that a read does not open its vault's data key again. It is
 * remembered by exactly what was opened (master key id, vault and the wrapped bytes), so a re-wrap or a vault made
 * anew under the same name is simply another entry, and a wrap that does not open is never remembered. It holds
 * nothing an attacker with this process' memory lacks: the master keys that open every data key are held anyway.
 */
public final class MasterKeyRing {

    /** How many opened data keys are remembered at most (one per vault in use). */
    static final int OPENED_KEYS = 10_000;
    /** How long an opened data key is remembered after its last use. */
    static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    private final MasterKey primary;
    private final Map<String, MasterKey> byId;
    private final Cache<Opened, DataKey> opened = Caffeine.newBuilder()
            .maximumSize(OPENED_KEYS)
            .expireAfterAccess(FORGET_AFTER)
            .executor(Runnable::run)
            .build();

    private MasterKeyRing(MasterKey primary, Map<String, MasterKey> byId) {
        this.primary = primary;
        this.byId = byId;
    }

    /** @throws IllegalArgumentException when one key is given twice (a rotation to the same key) */
    public static MasterKeyRing of(MasterKey primary, List<MasterKey> others) {
        Map<String, MasterKey> byId = new LinkedHashMap<>();
        byId.put(primary.id(), primary);
        for (MasterKey other : others) {
            if (byId.putIfAbsent(other.id(), other) != null) {
                throw new IllegalArgumentException("master key " + other.id() + " is configured twice");
            }
        }
        return new MasterKeyRing(primary, Collections.unmodifiableMap(byId));
    }

    public static MasterKeyRing of(MasterKey only) {
        return of(only, List.of());
    }

    /** The id of the key that wraps new data keys. */
    public String primaryId() {
        return primary.id();
    }

    /** Every key id held, the primary first. */
    public Set<String> ids() {
        return byId.keySet();
    }

    /** Wraps a data key under the primary key. @return the primary's id and the wrapped key */
    public Wrapped wrap(DataKey dataKey, String vault) {
        return new Wrapped(primary.id(), primary.wrap(dataKey, vault));
    }

    /**
     * Opens a data key wrapped under the key {@code masterKeyId}.
     *
     * @throws SealBrokenException when that key is not held, or the wrap does not open under it
     */
    public DataKey unwrap(String masterKeyId, byte[] wrapped, String vault) throws SealBrokenException {
        // looked up over the caller's bytes; a copy is what is kept, so that no caller can change a key remembered
        DataKey remembered = opened.getIfPresent(new Opened(masterKeyId, vault, ByteBuffer.wrap(wrapped)));
        if (remembered != null) {
            return remembered;
        }
        MasterKey key = byId.get(masterKeyId);
        if (key == null) {
            throw new SealBrokenException("it is wrapped under master key " + masterKeyId + ", which this replica does "
                    + "not hold (it holds " + String.join(", ", byId.keySet()) + ")");
        }
        DataKey dataKey = key.unwrap(wrapped, vault);
        opened.put(new Opened(masterKeyId, vault, ByteBuffer.wrap(wrapped.clone())), dataKey);
        return dataKey;
    }

    /** How many opened data keys are remembered now. */
    long openedKeys() {
        opened.cleanUp();
        return opened.estimatedSize();
    }

    /** Seals a backup under the primary key. */
    public byte[] sealBackup(byte[] plaintext) {
        return primary.sealBackup(plaintext);
    }

    /** Opens a backup sealed under any key held, so that backups made before a rotation restore while it is held. */
    public byte[] openBackup(byte[] blob) throws SealBrokenException {
        String sealedBy = MasterKey.sealedBy(blob);
        MasterKey key = byId.get(sealedBy);
        if (key == null) {
            throw new SealBrokenException("the backup was sealed under master key " + sealedBy + ", which this "
                    + "installation does not hold (it holds " + String.join(", ", byId.keySet()) + "): another "
                    + "installation made it, or it was made before a master-key rotation and the old key has been "
                    + "removed since");
        }
        return key.openBackup(blob);
    }

    /** What was opened: the wrapped bytes (compared by content), under which key, for which vault. */
    private record Opened(String masterKeyId, String vault, ByteBuffer wrapped) {
    }

    /** A data key wrapped under the master key {@code masterKeyId}. */
    public record Wrapped(String masterKeyId, byte[] key) {
    }

    @Override
    public String toString() {
        return "MasterKeyRing[primary=" + primary.id() + ", ids=" + byId.keySet() + "]";
    }
}
