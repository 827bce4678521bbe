package dev.moat.vault.store;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * Runs leased jobs: for each due item, claim it, then process it; an item another runner holds is skipped (that
 * runner does it, or its lease expires and a later run does). At most {@code batch} items per run.
 */
public final class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    /** How often an item is processed again after the database rolled its transaction back (SQLState 40xxx). */
    static final int ROLLBACK_RETRIES = 3;

    /** Items looked at per query of due items. */
    public static final int BATCH = 100;

    private final JobLeases leases;
    private final int batch;

    public JobRunner(JobLeases leases, int batch) {
        this.leases = leases;
        this.batch = batch;
    }

    /** A runner on a database with the standard lease time and batch. */
    public static JobRunner on(DataSource dataSource, Clock clock) {
        return new JobRunner(new JobLeases(dataSource, JobLeases.LEASE_TIME, clock), BATCH);
    }

    /**
     * Does every due item it can claim: batch after batch while full batches come back and this runner made progress
     * (items other runners hold come back in each batch until they are done).
     *
     * @return how many items this runner applied
     */
    public int run(LeasedJob job) {
        int done = 0;
        while (true) {
            List<String> due = job.due(batch);
            int applied = 0;
            for (String item : due) {
                if (runItem(job, item)) {
                    applied++;
                }
            }
            done += applied;
            if (due.size() < batch || applied == 0) {
                return done;
            }
        }
    }

    /** Claims and processes one item. @return whether this runner applied it */
    public boolean runItem(LeasedJob job, String item) {
        Optional<Lease> lease = leases.claim(job.name(), item);
        if (lease.isEmpty()) {
            return false;
        }
        try {
            boolean applied = processRetryingRollbacks(job, item, lease.get());
            if (!applied) {
                leases.release(lease.get());
            }
            return applied;
        } catch (LeaseLostException e) {
            LOG.infof("%s", e.getMessage());
            return false;
        } catch (RuntimeException e) {
            LOG.warnf("%s of %s failed, will retry: %s", job.name(), item, e.toString());
            leases.release(lease.get());
            return false;
        }
    }

    /**
     * Processes an item, again at once when the database rolled its transaction back to resolve a conflict with a
     * concurrent one (SQLState class 40: PostgreSQL's deadlock victim or serialization failure), at most
     * {@value #ROLLBACK_RETRIES} times: two replicas adding versions to one vault at once may meet so, and the item
     * is still this runner's to do.
     */
    private static boolean processRetryingRollbacks(LeasedJob job, String item, Lease lease) {
        for (int attempt = 1; ; attempt++) {
            try {
                return job.process(item, lease);
            } catch (RuntimeException e) {
                if (attempt > ROLLBACK_RETRIES || !rolledBack(e)) {
                    throw e;
                }
                LOG.debugf("%s of %s was rolled back by the database (%s), again", job.name(), item, e.toString());
            }
        }
    }

    private static boolean rolledBack(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }
}
