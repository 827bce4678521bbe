package dev.moat.vault.secrets;

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
 * Purges soft-deleted secrets once their {@code scheduledPurgeDate} has passed, every
 * {@code moat.vault.secrets.purge-interval}. Safe on several replicas: a purge is one DELETE.
 */
@ApplicationScoped
public class SecretPurger {

    private static final Logger LOG = Logger.getLogger(SecretPurger.class);

    private final SecretService secrets;
    private final VaultConfig config;
    private ScheduledExecutorService executor;

    public SecretPurger(SecretService secrets, VaultConfig config) {
        this.secrets = secrets;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "secret-purger"));
        long interval = config.secrets().purgeInterval().toMillis();
        executor.scheduleWithFixedDelay(this::purge, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    private void purge() {
        try {
            int purged = secrets.purgeDue();
            if (purged > 0) {
                LOG.infof("purged %d soft-deleted secret(s) whose retention had passed", purged);
            }
        } catch (RuntimeException e) {
            LOG.warnf("purging soft-deleted secrets failed, will retry: %s", e.toString());
        }
    }
}
