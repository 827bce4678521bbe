package dev.moat.audit.retention;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import dev.moat.audit.config.AuditConfig;
import dev.moat.audit.store.EventStore;

/**
 * Deletes events older than their retention, on a schedule. Every instance runs it; deleting is idempotent, so
 * several instances purging at once only repeat each other's work.
 */
@ApplicationScoped
public class RetentionPurge {

    /** What one run deleted. */
    public record Purged(long decisions, long changes) {
    }

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    private final EventStore store;
    private final AuditConfig.Retention config;
    private final Clock clock;

    @Inject
    RetentionPurge(EventStore store, AuditConfig config) {
        this.store = store;
        this.config = config.retention();
        this.clock = Clock.systemUTC();
    }

    @Scheduled(every = "${moat.audit.retention.purge-interval}", delayed = "${moat.audit.retention.purge-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purge();
        } catch (SQLException e) {
            LOG.warnf("Retention purge failed (SQLState %s), will run again: %s", e.getSQLState(), e.getMessage());
        }
    }

    /** Purges now, relative to the current time. */
    public Purged purge() throws SQLException {
        return purge(clock.instant());
    }

    Purged purge(Instant now) throws SQLException {
        long decisions = config.decisionDays() > 0
                ? store.purgeDecisionsBefore(now.minus(Duration.ofDays(config.decisionDays())), config.purgeBatchSize())
                : 0;
        long changes = config.changeDays() > 0
                ? store.purgeChangesBefore(now.minus(Duration.ofDays(config.changeDays())), config.purgeBatchSize())
                : 0;
        if (decisions + changes > 0) {
            LOG.infof("Retention purge deleted %d decision and %d change events", decisions, changes);
        }
        return new Purged(decisions, changes);
    }
}
