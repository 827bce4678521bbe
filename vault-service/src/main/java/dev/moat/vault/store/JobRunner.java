package dev.moat.vault.store;

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
            boolean applied = job.process(item, lease.get());
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
}
