package dev.moat.vault.masterkeys;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.masterkeys.MasterKeyHolders.Holder;

/**
 * Where a master-key rotation stands, for the operator: per key id, how many data keys are still wrapped under it,
 * which live replicas hold it and which wrap new data keys under it, and whether it can be removed now.
 *
 * @param replica the replica that answered
 * @param primaryKeyId the answering replica's primary key
 * @param primaryAgreed whether every live replica has the same primary key (only then are data keys re-wrapped)
 * @param keys every key id that is held by a live replica or still wraps a data key, the answering replica's first
 * @param replicas the live replicas
 */
public record MasterKeyReport(String replica, String primaryKeyId, boolean primaryAgreed, List<KeyUse> keys,
        List<Holder> replicas) {

    /**
     * @param dataKeys data keys still wrapped under this key
     * @param primaryOn live replicas that wrap new data keys under it
     * @param heldBy live replicas that hold it
     * @param removable nothing needs it any more: no data key is wrapped under it and no live replica wraps under it
     *        (backups sealed under it restore only while it is configured)
     */
    public record KeyUse(String id, long dataKeys, List<String> primaryOn, List<String> heldBy, boolean removable) {
    }

    static MasterKeyReport of(String replica, MasterKeyRing ring, Map<String, Long> dataKeysByKey, List<Holder> live) {
        Set<String> ids = new LinkedHashSet<>(ring.ids());
        live.forEach(h -> ids.addAll(h.keyIds()));
        ids.addAll(dataKeysByKey.keySet());
        List<KeyUse> keys = new ArrayList<>();
        for (String id : ids) {
            long dataKeys = dataKeysByKey.getOrDefault(id, 0L);
            List<String> primaryOn = live.stream().filter(h -> h.primaryKeyId().equals(id)).map(Holder::instance)
                    .toList();
            List<String> heldBy = live.stream().filter(h -> h.keyIds().contains(id)).map(Holder::instance).toList();
            keys.add(new KeyUse(id, dataKeys, primaryOn, heldBy, dataKeys == 0 && primaryOn.isEmpty()
                    && !id.equals(ring.primaryId())));
        }
        return new MasterKeyReport(replica, ring.primaryId(), agreed(ring.primaryId(), live), keys, live);
    }

    /** Every live replica wraps under {@code primaryId}: re-wrapping to it cannot be undone by another replica. */
    static boolean agreed(String primaryId, List<Holder> live) {
        return live.stream().allMatch(h -> h.primaryKeyId().equals(primaryId));
    }
}
