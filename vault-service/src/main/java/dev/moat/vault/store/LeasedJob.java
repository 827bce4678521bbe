package dev.moat.vault.store;

import java.util.List;

/** One kind of housekeeping work over due items (a purge, a key rotation, a pending certificate). */
public interface LeasedJob {

    /** The job's name in {@code job_lease} (at most 40 characters). */
    String name();

    /** Items that look due now, at most {@code limit}; {@link #process} checks again under the lease. */
    List<String> due(int limit);

    /**
     * Does the item if it is still due, in one transaction that also {@link JobLeases#complete completes} the lease
     * (so that the effect is applied only while the lease is held).
     *
     * @return whether the item's effect was applied (false: it was no longer due)
     * @throws LeaseLostException when the lease was taken over meanwhile (the transaction rolled back)
     */
    boolean process(String item, Lease lease);
}
