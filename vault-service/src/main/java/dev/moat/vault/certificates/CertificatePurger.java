package dev.moat.vault.certificates;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.moat.vault.config.VaultConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Purges soft-deleted certificates once their {@code scheduledPurgeDate} has passed (their keys and secrets, deleted
 * with them, are purged by the keys' and the secrets' purgers), as often as soft-deleted secrets are
 * ({@code moat.vault.secrets.purge-interval}: one retention rule for every object of a vault). Safe on several
 * replicas: a purge is one DELETE.
 */
@ApplicationScoped
public class CertificatePurger {

    private static final Logger LOG = Logger.getLogger(CertificatePurger.class);

    private final CertificateService certificates;
    private final VaultConfig config;
    private ScheduledExecutorService executor;

    public CertificatePurger(CertificateService certificates, VaultConfig config) {
        this.certificates = certificates;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "certificate-purger"));
        long interval = config.secrets().purgeInterval().toMillis();
        executor.scheduleWithFixedDelay(this::purge, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    private void purge() {
        try {
            int purged = certificates.purgeDue();
            if (purged > 0) {
                LOG.infof("purged %d soft-deleted certificate(s) whose retention had passed", purged);
            }
        } catch (RuntimeException e) {
            LOG.warnf("purging soft-deleted certificates failed, will retry: %s", e.toString());
        }
    }
}
