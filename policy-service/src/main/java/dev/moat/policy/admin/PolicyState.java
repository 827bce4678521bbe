package dev.moat.policy.admin;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.moat.policy.config.PolicyConfig;
import dev.moat.policy.decision.CheckInput;
import dev.moat.policy.decision.Decision;
import dev.moat.policy.decision.PolicySnapshot;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.policy.store.PolicyStore;
import dev.moat.policy.trust.TrustedService;
import dev.moat.policy.trust.TrustedServiceCatalog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The decision snapshot this instance answers {@code Check} from. It is compiled from the database at start, after
 * each change made here (so the next {@code Check} sees it), and whenever the stored revision moves because another
 * instance changed something (polled every {@code moat.policy.propagation.poll-interval}).
 */
@ApplicationScoped
public class PolicyState {

    private static final Logger LOG = Logger.getLogger(PolicyState.class);

    private final PolicyStore store;
    private final TrustedServiceCatalog catalog;
    private final Duration pollInterval;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private ScheduledExecutorService poller;

    /** The enforced rules, and beside them the staged (audit-only) ones compiled by the same evaluator. */
    private record Loaded(long revision, PolicySnapshot snapshot, PolicySnapshot staged) {
    }

    @Inject
    public PolicyState(PolicyStore store, PolicyConfig config) {
        this(store, TrustedServiceCatalog.defaultsPlus(config.trustedServices().orElse(java.util.List.of()).stream()
                .map(e -> TrustedService.operatorDefined(e.name(), e.applicationId(), e.scenario()))
                .toList()), config.propagation().pollInterval());
    }

    public PolicyState(PolicyStore store, TrustedServiceCatalog catalog, Duration pollInterval) {
        this.store = store;
        this.catalog = catalog;
        this.pollInterval = pollInterval;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Loads the snapshot and starts watching the database for changes made by other instances. */
    public void start() {
        reload();
        poller = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "policy-revision-poller"));
        long interval = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::reloadIfChanged, interval, interval, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    public PolicySnapshot snapshot() {
        return loaded().snapshot();
    }

    private Loaded loaded() {
        Loaded loaded = current.get();
        if (loaded == null) {
            throw new IllegalStateException("policy not loaded yet");
        }
        return loaded;
    }

    /**
     * What the vault's staged (audit-only) rule set answers for this request: empty when the vault has none. The
     * staged sets are compiled into a snapshot of their own, against the same networks and catalog, so the answer
     * comes from the very evaluator that decides the enforced one.
     */
    public Optional<Decision> stagedDecision(CheckInput input) {
        PolicySnapshot staged = loaded().staged();
        return staged.knows(input.vault()) ? Optional.of(staged.decide(input)) : Optional.empty();
    }

    public TrustedServiceCatalog catalog() {
        return catalog;
    }

    /** Recompiles from the database; a newer revision never gets replaced by an older one. */
    public synchronized void reload() {
        PolicyStore.State state = store.load();
        Loaded loaded = current.get();
        if (loaded != null && loaded.revision() > state.revision()) {
            return;
        }
        Map<String, Optional<NetworkRuleSet>> staged = new HashMap<>();
        state.staged().forEach((vault, rules) -> staged.put(vault, Optional.of(rules)));
        current.set(new Loaded(state.revision(), PolicySnapshot.build(state.vaults(), state.networks(), catalog),
                PolicySnapshot.build(staged, state.networks(), catalog)));
    }

    private void reloadIfChanged() {
        try {
            Loaded loaded = current.get();
            if (loaded == null || store.revision() != loaded.revision()) {
                reload();
            }
        } catch (RuntimeException e) {
            // keep answering from the last snapshot; the database will be back
            LOG.warnf("could not refresh policy from the database: %s", e.getMessage());
        }
    }
}
