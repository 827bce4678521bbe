package dev.moat.vault.store;

/**
 * A runner tried to complete an item whose lease it no longer holds: the lease expired and another runner took the
 * item over. The runner's transaction is rolled back, so the item's effect is applied by the other runner only.
 */
public final class LeaseLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LeaseLostException(Lease lease) {
        super("lease of " + lease.job() + " item " + lease.item() + " was lost: another runner took it over");
    }
}
