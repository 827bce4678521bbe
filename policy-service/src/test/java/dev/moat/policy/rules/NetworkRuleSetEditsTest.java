package dev.moat.policy.rules;

import static dev.moat.policy.network.NetworkFixtures.network;
import static dev.moat.policy.network.NetworkFixtures.subnet;
import static dev.moat.policy.network.NetworkFixtures.subnetId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.policy.network.VirtualNetworks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adding and removing single rules: idempotent, and checked like a whole rule set. */
class NetworkRuleSetEditsTest {

    private static final VirtualNetworks NETWORKS = VirtualNetworks.of(network("app", "10.1.0.0/16",
            subnet("app", "with-kv", "10.1.1.0/24", true), subnet("app", "without-kv", "10.1.2.0/24", false)));

    private final NetworkRuleSetValidator validator = new NetworkRuleSetValidator(new Limits(2, 1));
    private final NetworkRuleSet empty = new NetworkRuleSet(DefaultAction.DENY, Bypass.NONE, List.of(), List.of());

    @Test
    void adding_an_ip_rule_that_is_already_there_changes_nothing() {
        NetworkRuleSet once = validator.addIpRule(empty, "203.0.113.0/24").orElseThrow();

        NetworkRuleSet twice = validator.addIpRule(once, " 203.0.113.0/24").orElseThrow();

        assertThat(twice).isSameAs(once);
        assertThat(twice.ipRules()).extracting(IpRule::value).containsExactly("203.0.113.0/24");
    }

    @Test
    void refuses_to_add_an_invalid_ip_rule_and_names_the_value_field() {
        Validated<NetworkRuleSet> result = validator.addIpRule(empty, "192.168.0.0/24");

        assertThat(result.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("value");
            assertThat(v.code()).isEqualTo(ViolationCode.NOT_PUBLIC);
        });
    }

    @Test
    void refuses_to_add_an_ip_rule_beyond_the_limit() {
        NetworkRuleSet full = validator.addIpRule(validator.addIpRule(empty, "203.0.113.1").orElseThrow(), "203.0.113.2")
                .orElseThrow();

        Validated<NetworkRuleSet> result = validator.addIpRule(full, "203.0.113.3");

        assertThat(result.violations()).extracting(Violation::code).containsExactly(ViolationCode.TOO_MANY_IP_RULES);
        assertThat(validator.addIpRule(full, "203.0.113.2").orElseThrow()).isSameAs(full);
    }

    @Test
    void removing_an_ip_rule_matches_its_canonical_value_and_is_idempotent() {
        NetworkRuleSet rules = validator.addIpRule(empty, "203.0.113.7").orElseThrow();

        NetworkRuleSet removed = validator.removeIpRule(rules, " 203.0.113.7 ");

        assertThat(removed.ipRules()).isEmpty();
        assertThat(validator.removeIpRule(removed, "203.0.113.7")).isSameAs(removed);
        assertThat(validator.removeIpRule(rules, "not an address")).isSameAs(rules);
    }

    @Test
    void adding_a_virtual_network_rule_again_only_updates_its_ignore_flag() {
        NetworkRuleSet once = validator.addVirtualNetworkRule(empty,
                new VirtualNetworkRuleInput(subnetId("app", "with-kv"), false), NETWORKS).orElseThrow();

        NetworkRuleSet same = validator.addVirtualNetworkRule(once,
                new VirtualNetworkRuleInput(subnetId("app", "with-kv").toUpperCase(), false), NETWORKS).orElseThrow();
        NetworkRuleSet flagged = validator.addVirtualNetworkRule(once,
                new VirtualNetworkRuleInput(subnetId("app", "with-kv"), true), NETWORKS).orElseThrow();

        assertThat(same).isSameAs(once);
        assertThat(flagged.virtualNetworkRules()).singleElement()
                .satisfies(r -> assertThat(r.ignoreMissingVnetServiceEndpoint()).isTrue());
    }

    @Test
    void refuses_to_add_a_virtual_network_rule_to_a_subnet_without_the_endpoint_or_beyond_the_limit() {
        Validated<NetworkRuleSet> withoutEndpoint = validator.addVirtualNetworkRule(empty,
                new VirtualNetworkRuleInput(subnetId("app", "without-kv"), false), NETWORKS);
        NetworkRuleSet full = validator.addVirtualNetworkRule(empty,
                new VirtualNetworkRuleInput(subnetId("app", "with-kv"), false), NETWORKS).orElseThrow();
        Validated<NetworkRuleSet> beyondLimit = validator.addVirtualNetworkRule(full,
                new VirtualNetworkRuleInput(subnetId("app", "without-kv"), true), NETWORKS);

        assertThat(withoutEndpoint.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("rule.id");
            assertThat(v.code()).isEqualTo(ViolationCode.SERVICE_ENDPOINT_MISSING);
        });
        assertThat(beyondLimit.violations()).extracting(Violation::code)
                .containsExactly(ViolationCode.TOO_MANY_VIRTUAL_NETWORK_RULES);
    }

    @Test
    void removing_a_virtual_network_rule_ignores_the_case_of_the_id_and_is_idempotent() {
        NetworkRuleSet rules = validator.addVirtualNetworkRule(empty,
                new VirtualNetworkRuleInput(subnetId("app", "with-kv"), false), NETWORKS).orElseThrow();

        NetworkRuleSet removed = validator.removeVirtualNetworkRule(rules, subnetId("app", "with-kv").toLowerCase());

        assertThat(removed.virtualNetworkRules()).isEmpty();
        assertThat(validator.removeVirtualNetworkRule(removed, subnetId("app", "with-kv"))).isSameAs(removed);
        assertThat(validator.removeVirtualNetworkRule(rules, "/not/an/id")).isSameAs(rules);
    }

    @Test
    void adding_an_ip_rule_does_not_recheck_rules_whose_subnet_was_deleted_since() {
        NetworkRuleSet rules = validator.addVirtualNetworkRule(empty,
                new VirtualNetworkRuleInput(subnetId("app", "with-kv"), false), NETWORKS).orElseThrow();

        // The network is gone; the rule stays and stops matching, and other edits still work.
        Validated<NetworkRuleSet> result = validator.addIpRule(rules, "203.0.113.7");

        assertThat(result.orElseThrow().virtualNetworkRules()).hasSize(1);
    }
}
