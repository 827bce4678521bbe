package dev.moat.vault.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * Database leases on due items of housekeeping jobs ({@code job_lease}, docs/adr/0014-job-leases.md), so that N
 * replicas process each due item once: a runner {@link #claim}s an item before working on it (only one claim of an
 * item is live at a time), and {@link #complete}s it in the same transaction as the item's effect; that transaction
 * commits only while the claim is still the live one. A runner that dies leaves its lease to expire after
 * {@code leaseTime}; another runner then claims the item and does it. Portable SQL (H2 2.x and PostgreSQL).
 */
public final class JobLeases {

    /**
     * How long a claim lasts: far longer than any item takes (an RSA-4096 key or a certificate: seconds), so that only
     * a runner that died (or hung) loses its items, which another runner then does.
     */
    public static final Duration LEASE_TIME = Duration.ofMinutes(2);

    private final DataSource dataSource;
    private final Duration leaseTime;
    private final Clock clock;

    public JobLeases(DataSource dataSource, Duration leaseTime, Clock clock) {
        this.dataSource = dataSource;
        this.leaseTime = leaseTime;
        this.clock = clock;
    }

    /**
     * Claims an item: takes over an expired lease, or makes a new one. Each statement commits on its own, so two
     * runners racing for the item serialise on its row: exactly one UPDATE or INSERT wins, the other sees a live
     * lease (0 rows) or the primary key (unique violation).
     *
     * @return empty when another runner holds a live lease on it
     */
    public Optional<Lease> claim(String job, String item) {
        Lease lease = new Lease(job, item, UUID.randomUUID().toString());
        long now = clock.millis();
        long expires = now + leaseTime.toMillis();
        return Jdbc.autoCommit(dataSource, "claim of " + job + " item " + item, c -> {
            if (Jdbc.update(c, "UPDATE job_lease SET holder = ?, expires_at = ? WHERE job = ? AND item = ? "
                    + "AND expires_at <= ?", lease.holder(), expires, job, item, now) == 1) {
                return Optional.of(lease);
            }
            try {
                Jdbc.update(c, "INSERT INTO job_lease (job, item, holder, expires_at) VALUES (?, ?, ?, ?)", job, item,
                        lease.holder(), expires);
                return Optional.of(lease);
            } catch (SQLException e) {
                if (Jdbc.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /**
     * Ends the lease inside the caller's transaction, the one that applies the item's effect.
     *
     * @throws LeaseLostException when another runner has taken the item over: the caller must roll back
     */
    public static void complete(Connection c, Lease lease) throws SQLException {
        if (Jdbc.update(c, "DELETE FROM job_lease WHERE job = ? AND item = ? AND holder = ?", lease.job(),
                lease.item(), lease.holder()) != 1) {
            throw new LeaseLostException(lease);
        }
    }

    /** An item's effect, inside the transaction that completes its lease. */
    @FunctionalInterface
    public interface Effect {
        /** @return whether the effect was applied (false: the item was no longer due; nothing is committed) */
        boolean apply(Connection c) throws SQLException;
    }

    /**
     * Applies an item's effect and completes its lease in one transaction: both commit, or neither (the effect found
     * nothing due, failed, or the lease was lost).
     */
    public static boolean applyOnce(DataSource dataSource, Lease lease, Effect effect) {
        return Jdbc.inTransaction(dataSource, lease.job() + " of " + lease.item(), c -> {
            boolean applied = effect.apply(c);
            if (applied) {
                complete(c, lease);
            }
            return applied;
        }, applied -> applied);
    }

    /** Gives an item up after a failure, so that the next run may retry it at once; best effort (else it expires). */
    public void release(Lease lease) {
        try {
            Jdbc.autoCommit(dataSource, "release of " + lease.job() + " item " + lease.item(), c -> {
                complete(c, lease);
                return null;
            });
        } catch (IllegalStateException | LeaseLostException e) {
            // the lease expires on its own
        }
    }
}
