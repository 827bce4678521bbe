package dev.moat.vault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
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

    private static final String UNIQUE_VIOLATION = "23505";

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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement takeOver = c.prepareStatement("UPDATE job_lease SET holder = ?, expires_at = ? "
                    + "WHERE job = ? AND item = ? AND expires_at <= ?")) {
                takeOver.setString(1, lease.holder());
                takeOver.setLong(2, expires);
                takeOver.setString(3, job);
                takeOver.setString(4, item);
                takeOver.setLong(5, now);
                if (takeOver.executeUpdate() == 1) {
                    return Optional.of(lease);
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO job_lease (job, item, holder, expires_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, job);
                insert.setString(2, item);
                insert.setString(3, lease.holder());
                insert.setLong(4, expires);
                insert.executeUpdate();
                return Optional.of(lease);
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return Optional.empty();
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim " + job + " item " + item + ": " + e.getMessage(), e);
        }
    }

    /**
     * Ends the lease inside the caller's transaction, the one that applies the item's effect.
     *
     * @throws LeaseLostException when another runner has taken the item over: the caller must roll back
     */
    public static void complete(Connection c, Lease lease) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM job_lease WHERE job = ? AND item = ? AND holder = ?")) {
            delete.setString(1, lease.job());
            delete.setString(2, lease.item());
            delete.setString(3, lease.holder());
            if (delete.executeUpdate() != 1) {
                throw new LeaseLostException(lease);
            }
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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean applied = effect.apply(c);
                if (applied) {
                    complete(c, lease);
                    c.commit();
                } else {
                    c.rollback();
                }
                return applied;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(lease.job() + " of " + lease.item() + " failed: " + e.getMessage(), e);
        }
    }

    /** Gives an item up after a failure, so that the next run may retry it at once; best effort (else it expires). */
    public void release(Lease lease) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            complete(c, lease);
        } catch (SQLException | LeaseLostException e) {
            // the lease expires on its own
        }
    }
}
