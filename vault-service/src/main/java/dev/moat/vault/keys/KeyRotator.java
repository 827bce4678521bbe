package dev.moat.vault.keys;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.vaults.VaultStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Carries out the {@code Rotate} actions of key rotation policies: every {@code moat.vault.secrets.purge-interval}
 * (the one housekeeping interval of a vault's objects), each key whose rotation is due gets a new version.
 */
@ApplicationScoped
public class KeyRotator {

    private static final Logger LOG = Logger.getLogger(KeyRotator.class);

    private final KeyService keys;
    private final VaultStore vaults;
    private final VaultConfig config;
    private ScheduledExecutorService executor;

    public KeyRotator(KeyService keys, VaultStore vaults, VaultConfig config) {
        this.keys = keys;
        this.vaults = vaults;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "key-rotator"));
        long interval = config.secrets().purgeInterval().toMillis();
        executor.scheduleWithFixedDelay(this::rotate, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /** @return how many keys were rotated */
    int rotate() {
        try {
            int rotated = keys.rotateDue(vaults::find);
            if (rotated > 0) {
                LOG.infof("rotated %d key(s) whose rotation policy said so", rotated);
            }
            return rotated;
        } catch (RuntimeException e) {
            LOG.warnf("rotating keys by their policies failed, will retry: %s", e.toString());
            return 0;
        }
    }
}
