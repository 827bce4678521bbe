package dev.moat.vault.store;

/**
 * One runner's claim on one item of a job, until it completes the item or the lease expires.
 *
 * @param holder a fresh token per claim, so that a runner that lost its lease (it expired and another runner took the
 *        item over) cannot complete it too
 */
public record Lease(String job, String item, String holder) {
}
