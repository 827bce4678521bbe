package dev.moat.policy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.moat.policy.admin.Actor;
import dev.moat.policy.admin.PolicyAdmin;
import dev.moat.policy.admin.PolicyState;
import dev.moat.policy.decision.CheckInput;
import dev.moat.policy.decision.Decision;
import dev.moat.policy.decision.Reason;
import dev.moat.policy.rules.Limits;
import dev.moat.policy.rules.NetworkRuleSetInput;
import dev.moat.policy.rules.SubnetInput;
import dev.moat.policy.rules.VirtualNetworkInput;
import dev.moat.policy.rules.VirtualNetworkRuleInput;
import dev.moat.policy.trust.TrustedServiceCatalog;

/**
 * What every supported database must do for policy-service: keep rules across a restart, and carry a change made by
 * one instance to another instance sharing the database within a second, with no restart.
 */
abstract class PolicyPersistenceContract {

    static final String VNET = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/corp";
    static final String SUBNET = VNET + "/subnets/apps";

    private final List<PolicyState> started = new java.util.ArrayList<>();

    /** A data source on the database under test; the same database for every call until {@link #restartDatabase}. */
    abstract DataSource dataSource();

    /** Stops and starts the database server on the same data (a no-op for an embedded file database). */
    abstract void restartDatabase() throws Exception;

    record Instance(PolicyAdmin admin, PolicyState state) {
        Decision decide(String vault, String address) {
            return state.snapshot().decide(CheckInput.of(vault, address, null, null));
        }
    }

    Instance instance() {
        DataSource dataSource = dataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        PolicyStore store = new PolicyStore(dataSource);
        PolicyState state = new PolicyState(store, TrustedServiceCatalog.defaults(), Duration.ofMillis(100));
        state.start();
        started.add(state);
        return new Instance(new PolicyAdmin(store, state, Limits.DEFAULT), state);
    }

    @AfterEach
    void stopInstances() {
        started.forEach(PolicyState::stop);
    }

    @Test
    void rules_and_networks_survive_a_restart() throws Exception {
        Instance before = instance();
        before.admin().putNetwork(Actor.UNKNOWN, new VirtualNetworkInput(VNET, List.of("10.8.0.0/16"),
                List.of(new SubnetInput("apps", "10.8.1.0/24", List.of("Microsoft.KeyVault")))));
        before.admin().registerVault(Actor.UNKNOWN, "durable", new NetworkRuleSetInput("Deny", "None",
                List.of("203.0.113.0/24", "198.51.100.9"), List.of(new VirtualNetworkRuleInput(SUBNET, false))));
        before.admin().registerVault(Actor.UNKNOWN, "norules", null);
        var rulesBefore = before.admin().rules("durable");
        stopInstances();
        started.clear();

        restartDatabase();
        Instance after = instance();

        assertThat(after.admin().rules("durable")).isEqualTo(rulesBefore);
        assertThat(after.admin().rules("norules")).isEmpty();
        assertThat(after.decide("durable", "203.0.113.4").reason()).isEqualTo(Reason.IP_RULE);
        assertThat(after.decide("durable", "10.8.1.7").reason()).isEqualTo(Reason.VIRTUAL_NETWORK_RULE);
        assertThat(after.decide("durable", "10.8.2.7").reason()).isEqualTo(Reason.DENIED);
        assertThat(after.decide("norules", "10.8.2.7").reason()).isEqualTo(Reason.DEFAULT_ALLOW);
        assertThat(after.decide("forgotten", "10.8.2.7").reason()).isEqualTo(Reason.UNKNOWN_VAULT);
    }

    @Test
    void a_change_on_one_instance_reaches_another_within_a_second() {
        Instance first = instance();
        Instance second = instance();
        first.admin().registerVault(Actor.UNKNOWN, "shared", new NetworkRuleSetInput("Deny", "None", List.of(), List.of()));
        await().atMost(Duration.ofSeconds(1)).until(() -> second.state().snapshot().knows("shared"));
        assertThat(second.decide("shared", "192.0.2.77").reason()).isEqualTo(Reason.DENIED);

        long changed = System.nanoTime();
        first.admin().addIpRule(Actor.UNKNOWN, "shared", "192.0.2.0/24");

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> second.decide("shared", "192.0.2.77").reason() == Reason.IP_RULE);
        assertThat(Duration.ofNanos(System.nanoTime() - changed)).isLessThan(Duration.ofSeconds(1));
    }
}
