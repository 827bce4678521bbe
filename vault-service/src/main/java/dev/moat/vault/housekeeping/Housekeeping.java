package dev.moat.vault.housekeeping;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import dev.moat.vault.certificates.CertificateService;
import dev.moat.vault.objects.VaultObjects;
import io.quarkus.scheduler.Scheduled;

/**
 * Purges soft-deleted objects of every type (every {@link VaultObjects}: secrets, keys, certificates) once their
 * {@code scheduledPurgeDate} has passed, every {@code moat.vault.secrets.purge-interval} (one retention rule for
 * every object of a vault), and finishes pending
 * certificate creates that no replica is working on, every {@code moat.vault.certificates.pending-interval}. Every
 * replica runs both; each object is done by one of them (its lease), and a failure is retried at the next run.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final Instance<VaultObjects<?>> types;
    private final CertificateService certificates;

    public Housekeeping(Instance<VaultObjects<?>> types, CertificateService certificates) {
        this.types = types;
        this.certificates = certificates;
    }

    @Scheduled(identity = "purge-soft-deleted", every = "${moat.vault.secrets.purge-interval}",
            delayed = "${moat.vault.secrets.purge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        types.forEach(type -> purge(type.noun(), type::purgeDue));
    }

    @Scheduled(identity = "finish-pending-certificates", every = "${moat.vault.certificates.pending-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void finishPendingCertificates() {
        try {
            int finished = certificates.finishPending();
            if (finished > 0) {
                LOG.infof("finished %d pending certificate operation(s)", finished);
            }
        } catch (RuntimeException e) {
            LOG.warnf("finishing pending certificate operations failed, will retry: %s", e.toString());
        }
    }

    private static void purge(String kind, java.util.function.IntSupplier purgeDue) {
        try {
            int purged = purgeDue.getAsInt();
            if (purged > 0) {
                LOG.infof("purged %d soft-deleted %s(s) whose retention had passed", purged, kind);
            }
        } catch (RuntimeException e) {
            LOG.warnf("purging soft-deleted %ss failed, will retry: %s", kind, e.toString());
        }
    }
}
