package dev.moat.policy.decision;

import static dev.moat.policy.network.NetworkFixtures.network;
import static dev.moat.policy.network.NetworkFixtures.subnet;
import static dev.moat.policy.network.NetworkFixtures.subnetId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.policy.decision.Decision.Allowed;
import dev.moat.policy.decision.Decision.Denied;
import dev.moat.policy.network.NetworkFixtures;
import dev.moat.policy.network.SubnetId;
import dev.moat.policy.network.VirtualNetwork;
import dev.moat.policy.network.VirtualNetworks;
import dev.moat.policy.rules.Bypass;
import dev.moat.policy.rules.DefaultAction;
import dev.moat.policy.rules.IpRule;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.policy.rules.VirtualNetworkRule;
import dev.moat.policy.trust.TrustedService;
import dev.moat.policy.trust.TrustedServiceCatalog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every reason of the decision, each scenario run against the compiled snapshot and the reference evaluator.
 */
class DecisionTest {

    private static final String BACKUP_APP_ID = "262044b1-e2ce-469f-a196-69ab7ada62d3";
    private static final String SOME_APP_ID = "11111111-2222-3333-4444-555555555555";
    private static final String APP_SUBNET = subnetId("app", "web");
    private static final String OTHER_SUBNET = subnetId("app", "jobs");

    private static VirtualNetwork appNetwork(boolean webEndpoint) {
        return network("app", "10.1.0.0/16",
                subnet("app", "web", "10.1.2.0/24", webEndpoint),
                subnet("app", "jobs", "10.1.3.0/24", true));
    }

    private final Map<String, Optional<NetworkRuleSet>> vaults = new HashMap<>();
    private VirtualNetworks networks = VirtualNetworks.of(appNetwork(true));
    private TrustedServiceCatalog catalog = TrustedServiceCatalog.defaults();

    // ---- unknown vault and default allow

    @ParameterizedTest
    @EnumSource(Engine.class)
    void denies_a_vault_it_does_not_know(Engine engine) {
        vaults.put("known", Optional.empty());

        Decision decision = decide(engine, "unknown", "203.0.113.7", null, BACKUP_APP_ID);

        assertThat(decision).isInstanceOf(Denied.class);
        assertThat(decision.reason()).isEqualTo(Reason.UNKNOWN_VAULT);
        assertThat(decision.message()).contains("unknown");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void admits_everyone_to_a_vault_without_network_rules(Engine engine) {
        vaults.put("open", Optional.empty());

        assertThat(decide(engine, "open", "10.9.9.9", null, null))
                .isEqualTo(new Allowed(Reason.DEFAULT_ALLOW, null, null, null));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void admits_everyone_when_the_default_action_is_allow_whatever_the_rules(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.ALLOW, Bypass.NONE, List.of("52.1.0.0/16"), List.of())));

        assertThat(decide(engine, "vault", "203.0.113.7", null, null).reason()).isEqualTo(Reason.DEFAULT_ALLOW);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void finds_a_vault_whatever_the_case_of_its_name(Engine engine) {
        vaults.put("Payments", Optional.empty());

        assertThat(decide(engine, "PAYMENTS", "203.0.113.7", null, null).reason()).isEqualTo(Reason.DEFAULT_ALLOW);
    }

    // ---- trusted services

    @ParameterizedTest
    @EnumSource(Engine.class)
    void admits_a_trusted_service_when_bypass_is_azure_services(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.AZURE_SERVICES, List.of(), List.of())));

        Decision decision = decide(engine, "vault", "198.51.100.20", null, BACKUP_APP_ID.toUpperCase());

        assertThat(decision).isInstanceOf(Allowed.class);
        assertThat(decision.reason()).isEqualTo(Reason.TRUSTED_SERVICE);
        assertThat(((Allowed) decision).trustedService()).extracting(TrustedService::name).isEqualTo("Azure Backup");
        assertThat(decision.message()).contains("Azure Backup");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void denies_a_trusted_service_when_bypass_is_none(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of())));

        Decision decision = decide(engine, "vault", "198.51.100.20", null, BACKUP_APP_ID);

        assertThat(decision.reason()).isEqualTo(Reason.DENIED);
        assertThat(decision.message()).contains("198.51.100.20");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void denies_an_application_that_is_not_in_the_catalog(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.AZURE_SERVICES, List.of(), List.of())));

        assertThat(decide(engine, "vault", "198.51.100.20", null, SOME_APP_ID).reason()).isEqualTo(Reason.DENIED);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void admits_a_service_an_operator_added_to_the_catalog(Engine engine) {
        catalog = TrustedServiceCatalog.defaultsPlus(List.of(TrustedService.operatorDefined("Batch", SOME_APP_ID, "jobs")));
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.AZURE_SERVICES, List.of(), List.of())));

        Decision decision = decide(engine, "vault", "198.51.100.20", null, SOME_APP_ID);

        assertThat(decision.reason()).isEqualTo(Reason.TRUSTED_SERVICE);
        assertThat(((Allowed) decision).trustedService().name()).isEqualTo("Batch");
    }

    // ---- virtual network rules

    @ParameterizedTest
    @EnumSource(Engine.class)
    void admits_a_private_address_only_through_a_subnet_rule(Engine engine) {
        vaults.put("with-rule", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of("52.1.0.0/16"), List.of(APP_SUBNET))));
        vaults.put("without-rule", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of("52.1.0.0/16"), List.of())));

        Decision through = decide(engine, "with-rule", "10.1.2.3", null, null);
        Decision notThrough = decide(engine, "without-rule", "10.1.2.3", null, null);

        assertThat(through).isEqualTo(new Allowed(Reason.VIRTUAL_NETWORK_RULE, APP_SUBNET, null, APP_SUBNET));
        assertThat(notThrough).isInstanceOf(Denied.class);
        assertThat(notThrough.reason()).isEqualTo(Reason.DENIED);
        assertThat(notThrough.resolvedSubnetId()).isEqualTo(APP_SUBNET);
        assertThat(notThrough.message()).contains("10.1.2.3");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void stops_admitting_through_a_subnet_whose_endpoint_was_disabled(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of(APP_SUBNET))));
        assertThat(decide(engine, "vault", "10.1.2.3", null, null).reason()).isEqualTo(Reason.VIRTUAL_NETWORK_RULE);

        networks = VirtualNetworks.of(appNetwork(false));

        Decision decision = decide(engine, "vault", "10.1.2.3", null, null);
        assertThat(decision.reason()).isEqualTo(Reason.DENIED);
        // Without the endpoint the subnet no longer claims the address: nothing is resolved.
        assertThat(decision.resolvedSubnetId()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void applies_a_rule_that_ignored_the_missing_endpoint_once_the_endpoint_is_enabled(Engine engine) {
        networks = VirtualNetworks.of(appNetwork(false));
        vaults.put("vault", Optional.of(new NetworkRuleSet(DefaultAction.DENY, Bypass.NONE, List.of(),
                List.of(new VirtualNetworkRule(NetworkFixtures.subnet("app", "web"), true)))));
        assertThat(decide(engine, "vault", "10.1.2.3", null, null).reason()).isEqualTo(Reason.DENIED);

        networks = VirtualNetworks.of(appNetwork(true));

        assertThat(decide(engine, "vault", "10.1.2.3", null, null).reason()).isEqualTo(Reason.VIRTUAL_NETWORK_RULE);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void applies_a_rule_to_a_subnet_that_did_not_exist_once_it_is_created(Engine engine) {
        networks = VirtualNetworks.empty();
        vaults.put("vault", Optional.of(new NetworkRuleSet(DefaultAction.DENY, Bypass.NONE, List.of(),
                List.of(new VirtualNetworkRule(NetworkFixtures.subnet("app", "web"), true)))));
        assertThat(decide(engine, "vault", "10.1.2.3", null, null).reason()).isEqualTo(Reason.DENIED);

        networks = VirtualNetworks.of(appNetwork(true));

        assertThat(decide(engine, "vault", "10.1.2.3", null, null).reason()).isEqualTo(Reason.VIRTUAL_NETWORK_RULE);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void stops_matching_a_rule_whose_network_was_deleted(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of(APP_SUBNET))));

        networks = VirtualNetworks.empty();

        assertThat(decide(engine, "vault", "10.1.2.3", null, null).reason()).isEqualTo(Reason.DENIED);
        assertThat(decide(engine, "vault", "10.1.2.3", APP_SUBNET, null).reason()).isEqualTo(Reason.DENIED);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void believes_the_subnet_named_by_the_edge_over_the_address(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of(APP_SUBNET))));

        // The address lies in the allowed subnet, but the edge says the request came through another one.
        Decision elsewhere = decide(engine, "vault", "10.1.2.3", OTHER_SUBNET, null);
        // A NATed public address, but the edge says it came through the allowed subnet (named in another case).
        Decision through = decide(engine, "vault", "198.51.100.20", APP_SUBNET.toLowerCase(), null);

        assertThat(elsewhere.reason()).isEqualTo(Reason.DENIED);
        assertThat(elsewhere.resolvedSubnetId()).isEqualTo(OTHER_SUBNET);
        assertThat(through).isEqualTo(new Allowed(Reason.VIRTUAL_NETWORK_RULE, APP_SUBNET, null, APP_SUBNET.toLowerCase()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void matches_a_named_subnet_ignoring_ascii_case_only(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of(APP_SUBNET))));
        // U+212A KELVIN SIGN lower-cases to 'k' in Java, but ARM ids are ASCII: a look-alike is another id.
        String lookalike = APP_SUBNET.replace("Network", "Networ\u212A");

        assertThat(decide(engine, "vault", "198.51.100.20", APP_SUBNET.toUpperCase(), null).reason())
                .isEqualTo(Reason.VIRTUAL_NETWORK_RULE);
        assertThat(decide(engine, "vault", "198.51.100.20", lookalike, null).reason()).isEqualTo(Reason.DENIED);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void resolves_the_longest_prefix_among_nested_subnets_of_different_networks(Engine engine) {
        String wide = subnetId("hub", "wide");
        String narrow = subnetId("spoke", "narrow");
        String disabled = subnetId("edge", "narrower");
        networks = VirtualNetworks.of(
                network("hub", "10.0.0.0/8", subnet("hub", "wide", "10.0.0.0/8", true)),
                network("spoke", "10.5.0.0/16", subnet("spoke", "narrow", "10.5.5.0/24", true)),
                network("edge", "10.5.5.0/24", subnet("edge", "narrower", "10.5.5.0/28", false)));
        vaults.put("hub-only", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of(wide))));
        vaults.put("spoke-only", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of(narrow))));

        // 10.5.5.3 is in all three; the /28 has no Key Vault endpoint, so the /24 is the longest usable prefix.
        assertThat(decide(engine, "spoke-only", "10.5.5.3", null, null))
                .isEqualTo(new Allowed(Reason.VIRTUAL_NETWORK_RULE, narrow, null, narrow));
        assertThat(decide(engine, "hub-only", "10.5.5.3", null, null).resolvedSubnetId()).isEqualTo(narrow);
        assertThat(decide(engine, "hub-only", "10.5.5.3", null, null).reason()).isEqualTo(Reason.DENIED);
        assertThat(decide(engine, "hub-only", "10.5.6.3", null, null).reason()).isEqualTo(Reason.VIRTUAL_NETWORK_RULE);
        assertThat(decide(engine, "hub-only", "10.5.5.3", null, null).resolvedSubnetId()).isNotEqualTo(disabled);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void resolves_identical_prefixes_of_two_networks_to_the_smaller_subnet_id(Engine engine) {
        networks = VirtualNetworks.of(
                network("blue", "10.0.0.0/16", subnet("blue", "web", "10.0.1.0/24", true)),
                network("amber", "10.0.0.0/16", subnet("amber", "web", "10.0.1.0/24", true)));
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of())));

        assertThat(decide(engine, "vault", "10.0.1.9", null, null).resolvedSubnetId()).isEqualTo(subnetId("amber", "web"));
    }

    // ---- IP rules

    @ParameterizedTest
    @EnumSource(Engine.class)
    void admits_a_public_address_inside_an_ip_rule_and_names_the_rule(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE,
                List.of("124.56.78.91", "52.168.10.0/24"), List.of())));

        assertThat(decide(engine, "vault", "52.168.10.200", null, null))
                .isEqualTo(new Allowed(Reason.IP_RULE, "52.168.10.0/24", null, null));
        assertThat(decide(engine, "vault", "124.56.78.91", null, null))
                .isEqualTo(new Allowed(Reason.IP_RULE, "124.56.78.91", null, null));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void reports_the_first_ip_rule_in_rule_order_when_several_contain_the_address(Engine engine) {
        vaults.put("narrow-first", Optional.of(rules(DefaultAction.DENY, Bypass.NONE,
                List.of("52.168.10.0/24", "52.168.0.0/16"), List.of())));
        vaults.put("wide-first", Optional.of(rules(DefaultAction.DENY, Bypass.NONE,
                List.of("52.168.0.0/16", "52.168.10.0/24"), List.of())));

        assertThat(decide(engine, "narrow-first", "52.168.10.1", null, null).message()).contains("52.168.10.0/24");
        assertThat(((Allowed) decide(engine, "wide-first", "52.168.10.1", null, null)).matchedRule()).isEqualTo("52.168.0.0/16");
        assertThat(((Allowed) decide(engine, "narrow-first", "52.168.11.1", null, null)).matchedRule()).isEqualTo("52.168.0.0/16");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void checks_subnet_rules_before_ip_rules_and_reports_the_resolved_subnet_with_an_ip_rule(Engine engine) {
        networks = VirtualNetworks.of(network("dmz", "52.168.0.0/16", subnet("dmz", "front", "52.168.10.0/24", true)));
        String front = subnetId("dmz", "front");
        vaults.put("both", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of("52.168.10.0/24"), List.of(front))));
        vaults.put("ip-only", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of("52.168.10.0/24"), List.of())));

        assertThat(decide(engine, "both", "52.168.10.7", null, null).reason()).isEqualTo(Reason.VIRTUAL_NETWORK_RULE);
        assertThat(decide(engine, "ip-only", "52.168.10.7", null, null))
                .isEqualTo(new Allowed(Reason.IP_RULE, "52.168.10.0/24", null, front));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void denies_a_public_address_outside_every_ip_rule_and_names_it(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.AZURE_SERVICES, List.of("52.168.10.0/24"), List.of())));

        Decision decision = decide(engine, "vault", "52.168.11.1", null, SOME_APP_ID);

        assertThat(decision).isEqualTo(new Denied(Reason.DENIED, null,
                "Client address 52.168.11.1 is not authorized and caller is not a trusted service."));
        assertThat(decision.allowed()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void never_admits_a_non_public_address_through_an_ip_rule_even_if_one_was_stored(Engine engine) {
        // Validation refuses such a rule; the decision does not rely on that.
        vaults.put("vault", Optional.of(new NetworkRuleSet(DefaultAction.DENY, Bypass.NONE,
                List.of(IpRule.of(NetworkFixtures.ip("8.0.0.0/6"))), List.of())));

        assertThat(decide(engine, "vault", "10.1.1.1", null, null).reason()).isEqualTo(Reason.DENIED);
        assertThat(decide(engine, "vault", "9.1.1.1", null, null).reason()).isEqualTo(Reason.IP_RULE);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void takes_an_ipv4_mapped_ipv6_client_address_as_the_ipv4_address(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of("52.168.10.0/24"), List.of())));

        Decision decision = engine.over(vaults, networks, catalog)
                .apply(new CheckInput("vault", NetworkFixtures.ip("::ffff:52.168.10.9"), null, null));

        assertThat(decision.reason()).isEqualTo(Reason.IP_RULE);
    }

    @Test
    void refuses_a_check_whose_client_address_is_not_a_single_ipv4_address() {
        assertThatThrownBy(() -> CheckInput.of("vault", "2001:db8::1", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2001:db8::1");
        assertThatThrownBy(() -> CheckInput.of("vault", "52.1.2.0/24", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckInput.of("vault", "my-laptop", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("my-laptop");
        assertThatThrownBy(() -> CheckInput.of(" ", "52.1.2.3", null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CheckInput.of("vault", "52.1.2.3", " ", "").sourceSubnetId()).isNull();
    }

    // ---- helpers

    private Decision decide(Engine engine, String vault, String client, String sourceSubnet, String appId) {
        return engine.over(vaults, networks, catalog).apply(CheckInput.of(vault, client, sourceSubnet, appId));
    }

    private static NetworkRuleSet rules(DefaultAction action, Bypass bypass, List<String> ips, List<String> subnets) {
        return new NetworkRuleSet(action, bypass,
                ips.stream().map(v -> IpRule.of(NetworkFixtures.ip(v))).toList(),
                subnets.stream().map(s -> new VirtualNetworkRule(SubnetId.parse(s).orElseThrow(), false))
                        .toList());
    }
}
