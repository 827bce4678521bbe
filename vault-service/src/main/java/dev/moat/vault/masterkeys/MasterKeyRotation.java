package dev.moat.vault.masterkeys;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.crypto.VaultDataKeys;
import dev.moat.vault.masterkeys.MasterKeyHolders.Holder;
import dev.moat.vault.store.Jdbc;
import dev.moat.vault.store.JobRunner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * A replica's part in a master-key rotation: at start it refuses to run without a key that still wraps data keys (or
 * that another live replica wraps new ones under), and records its keys; every
 * {@code moat.vault.crypto.rewrap-interval} it records them again and, once every live replica has the same primary
 * key, re-wraps what is still under another key; and it answers the master-key report.
 */
@ApplicationScoped
public class MasterKeyRotation {

    private static final Logger LOG = Logger.getLogger(MasterKeyRotation.class);

    private final MasterKeyRing ring;
    private final AgroalDataSource dataSource;
    private final MasterKeyHolders holders;
    private final DataKeyRewrap rewrap;
    private final JobRunner runner;
    private final String instance;
    private final Duration liveness;
    private final Clock clock;

    public MasterKeyRotation(MasterKeyRing ring, AgroalDataSource dataSource, VaultConfig config) {
        this.ring = ring;
        this.dataSource = dataSource;
        this.clock = Clock.systemUTC();
        this.holders = new MasterKeyHolders(dataSource);
        this.rewrap = new DataKeyRewrap(dataSource, new VaultDataKeys(ring, clock));
        this.runner = JobRunner.on(dataSource, clock);
        this.instance = config.instanceId().orElseGet(MasterKeyRotation::hostName);
        this.liveness = liveness(config.crypto().rewrapInterval());
    }

    /**
     * A replica counts as live for three intervals after its last record (it records once per interval), and at
     * least 30 s, so that a replica restarting in a rolling update is still counted.
     */
    static Duration liveness(Duration interval) {
        Duration three = interval.multipliedBy(3);
        return three.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : three;
    }

    void onStart(@Observes StartupEvent event) {
        long now = clock.millis();
        refusal(ring, instance, dataKeysByKey(), holders.live(now, liveness)).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
        holders.record(instance, ring, now);
        LOG.infof("master keys held: %s (primary %s)", String.join(", ", ring.ids()), ring.primaryId());
    }

    @Scheduled(identity = "rewrap-data-keys", every = "${moat.vault.crypto.rewrap-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rewrapDataKeys() {
        try {
            long now = clock.millis();
            holders.record(instance, ring, now);
            if (!MasterKeyReport.agreed(ring.primaryId(), holders.live(now, liveness))) {
                return;
            }
            int rewrapped = runner.run(rewrap);
            if (rewrapped > 0) {
                LOG.infof("re-wrapped the data keys of %d vault(s) under master key %s", rewrapped, ring.primaryId());
            }
        } catch (RuntimeException e) {
            LOG.warnf("re-wrapping data keys failed, will retry: %s", e.toString());
        }
    }

    /** Where the rotation stands, as this replica sees it. */
    public MasterKeyReport report() {
        return MasterKeyReport.of(instance, ring, dataKeysByKey(), holders.live(clock.millis(), liveness));
    }

    /**
     * Why this replica must not start with {@code ring}: data keys wrapped under a key it does not hold (it could not
     * open them), or a live replica that wraps new data keys under such a key.
     */
    static Optional<String> refusal(MasterKeyRing ring, String instance, Map<String, Long> dataKeysByKey,
            List<Holder> live) {
        List<String> problems = new ArrayList<>();
        dataKeysByKey.forEach((id, count) -> {
            if (!ring.ids().contains(id)) {
                problems.add("master key " + id + " still wraps the data keys of " + count + " vault(s)");
            }
        });
        for (Holder holder : live) {
            if (!holder.instance().equals(instance) && !ring.ids().contains(holder.primaryKeyId())) {
                problems.add("replica " + holder.instance() + " wraps new data keys under master key "
                        + holder.primaryKeyId());
            }
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("This replica holds master key(s) " + String.join(", ", ring.ids()) + ", but "
                + String.join("; ", problems) + ". Configure that key again (moat.vault.crypto.master-key-file, "
                + "MOAT_MASTER_KEY or moat.vault.crypto.additional-master-key-files): an old master key may be "
                + "removed only once the master-key report (GET /providers/Moat.Vault/masterKeys) says it is "
                + "removable.");
    }

    private Map<String, Long> dataKeysByKey() {
        return Jdbc.autoCommit(dataSource, "counting the data keys by master key", VaultDataKeys::countByMasterKey);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "vault-service";
        }
    }
}
