package dev.moat.vault.keys;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.moat.vault.vaults.VaultStore;
import io.quarkus.scheduler.Scheduled;

/**
 * Carries out the {@code Rotate} actions of key rotation policies: every {@code moat.vault.secrets.purge-interval}
 * (the one housekeeping interval of a vault's objects), each key whose rotation is due gets a new version, from one
 * replica only ({@link KeyService#rotationJob}).
 */
@ApplicationScoped
public class KeyRotator {

    private static final Logger LOG = Logger.getLogger(KeyRotator.class);

    private final KeyService keys;
    private final VaultStore vaults;

    public KeyRotator(KeyService keys, VaultStore vaults) {
        this.keys = keys;
        this.vaults = vaults;
    }

    @Scheduled(identity = "rotate-keys", every = "${moat.vault.secrets.purge-interval}",
            delayed = "${moat.vault.secrets.purge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        rotate();
    }

    /** @return how many keys this replica rotated */
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
