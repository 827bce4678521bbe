package dev.moat.vault.keys;

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
 * Purges soft-deleted keys once their {@code scheduledPurgeDate} has passed, as often as soft-deleted secrets are
 * ({@code moat.vault.secrets.purge-interval}: one retention rule for every object of a vault). Safe on several
 * replicas: a purge is one DELETE.
 */
@ApplicationScoped
public class KeyPurger {

    private static final Logger LOG = Logger.getLogger(KeyPurger.class);

    private final KeyService keys;
    private final VaultConfig config;
    private ScheduledExecutorService executor;

    public KeyPurger(KeyService keys, VaultConfig config) {
        this.keys = keys;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "key-purger"));
        long interval = config.secrets().purgeInterval().toMillis();
        executor.scheduleWithFixedDelay(this::purge, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    private void purge() {
        try {
            int purged = keys.purgeDue();
            if (purged > 0) {
                LOG.infof("purged %d soft-deleted key(s) whose retention had passed", purged);
            }
        } catch (RuntimeException e) {
            LOG.warnf("purging soft-deleted keys failed, will retry: %s", e.toString());
        }
    }
}
