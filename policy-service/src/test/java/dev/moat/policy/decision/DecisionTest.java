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
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

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

        assertThat(through).isEqualTo(new Allowed(Reason.VIRTUAL_NETWORK_RULE, APP_SUBNET, null, enabled(APP_SUBNET)));
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
        // The subnet still claims the address; the decision says that it lacks the endpoint.
        assertThat(decision.sourceSubnet()).isEqualTo(new SourceSubnet(APP_SUBNET, false));
        assertThat(decision.message()).contains("subnet " + APP_SUBNET
                + ", which does not have the Microsoft.KeyVault service endpoint enabled");
    }

    static Stream<Arguments> subnetsNotYetAdmitting() {
        return Stream.of(Engine.values()).flatMap(engine -> Stream.of(
                Arguments.of(engine, "that ignored the missing endpoint, once the endpoint is enabled",
                        VirtualNetworks.of(appNetwork(false))),
                Arguments.of(engine, "to a subnet that did not exist, once it is created", VirtualNetworks.empty())));
    }

    @ParameterizedTest(name = "{0}: applies a rule {1}")
    @MethodSource("subnetsNotYetAdmitting")
    void applies_a_rule_once_its_subnet_exists_with_the_endpoint(Engine engine, String what, VirtualNetworks before) {
        networks = before;
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
    void believes_a_subnet_named_by_the_edge_only_when_the_address_lies_in_it(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of(APP_SUBNET))));

        // Inside the named subnet (named in another case): the edge is believed.
        Decision inside = decide(engine, "vault", "10.1.2.3", APP_SUBNET.toLowerCase(), null);
        // A public address outside it: the name is ignored and the address decides (no subnet contains it).
        Decision outside = decide(engine, "vault", "198.51.100.20", APP_SUBNET, null);
        // An address of another subnet naming the allowed one: ignored, attributed to the subnet it lies in.
        Decision elsewhere = decide(engine, "vault", "10.1.3.3", APP_SUBNET, null);

        assertThat(inside).isEqualTo(new Allowed(Reason.VIRTUAL_NETWORK_RULE, APP_SUBNET, null, enabled(APP_SUBNET)));
        assertThat(outside).isEqualTo(Denied.noMatchingRule(NetworkFixtures.ip("198.51.100.20"), null));
        assertThat(elsewhere.reason()).isEqualTo(Reason.DENIED);
        assertThat(elsewhere.sourceSubnet()).isEqualTo(enabled(OTHER_SUBNET));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void believes_the_named_subnet_over_the_address_behind_nat(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of(APP_SUBNET))));
        String unknown = subnetId("nowhere", "none");

        Function<CheckInput, Decision> decide = engine.over(vaults, networks, catalog);
        Decision through = decide.apply(CheckInput.of("vault", "198.51.100.20", APP_SUBNET.toUpperCase(), true, null));
        Decision notThrough = decide.apply(CheckInput.of("vault", "10.1.2.3", OTHER_SUBNET, true, null));
        Decision unknownSubnet = decide.apply(CheckInput.of("vault", "10.1.2.3", unknown, true, null));

        assertThat(through).isEqualTo(new Allowed(Reason.VIRTUAL_NETWORK_RULE, APP_SUBNET, null, enabled(APP_SUBNET)));
        assertThat(notThrough.reason()).isEqualTo(Reason.DENIED);
        assertThat(notThrough.sourceSubnet()).isEqualTo(enabled(OTHER_SUBNET));
        assertThat(unknownSubnet.sourceSubnet()).isEqualTo(new SourceSubnet(unknown, false));
        assertThat(unknownSubnet.reason()).isEqualTo(Reason.DENIED);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void matches_a_named_subnet_ignoring_ascii_case_only(Engine engine) {
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(), List.of(APP_SUBNET))));
        // U+212A KELVIN SIGN lower-cases to 'k' in Java, but ARM ids are ASCII: a look-alike is another id.
        String lookalike = APP_SUBNET.replace("Network", "Networ\u212A");

        assertThat(decide(engine, "vault", "198.51.100.20", APP_SUBNET.toUpperCase(), true).reason())
                .isEqualTo(Reason.VIRTUAL_NETWORK_RULE);
        assertThat(decide(engine, "vault", "198.51.100.20", lookalike, true).reason()).isEqualTo(Reason.DENIED);
    }

    /**
     * Overlapping networks (Azure allows them): hub 10.0.0.0/8 with the endpoint, spoke 10.5.5.0/24 with it, edge
     * 10.5.5.0/28 without it, and two identical 10.7.1.0/24 subnets, amber's with it and blue's (the larger id)
     * without. Each row: the client,
     * the vault whose only rule names one subnet, the expected reason and the subnet the request is attributed to.
     */
    @ParameterizedTest(name = "{0} to a vault admitting {1}: {2} via {3}")
    @CsvSource({
            // the narrower subnet without the endpoint wins over both wider enabled ones, and admits nobody
            "10.5.5.3,  hub/wide,     DENIED,               edge/narrower",
            "10.5.5.3,  spoke/narrow, DENIED,               edge/narrower",
            // just outside the /28: the /24 of the spoke is the most specific
            "10.5.5.16, spoke/narrow, VIRTUAL_NETWORK_RULE, spoke/narrow",
            "10.5.5.16, hub/wide,     DENIED,               spoke/narrow",
            // outside the spoke: only the hub contains it
            "10.5.6.3,  hub/wide,     VIRTUAL_NETWORK_RULE, hub/wide",
            // identical prefixes: the one without the endpoint is taken (the request may have come through it)
            "10.7.1.9,  amber/web,    DENIED,               blue/web",
            "10.7.1.9,  hub/wide,     DENIED,               blue/web",
            // in no subnet at all
            "11.0.0.1,  hub/wide,     DENIED,               ''",
    })
    void attributes_an_address_to_the_most_specific_of_all_known_subnets(String client, String allowedSubnet,
            Reason expected, String attributed) {
        networks = VirtualNetworks.of(
                network("hub", "10.0.0.0/8", subnet("hub", "wide", "10.0.0.0/8", true)),
                network("spoke", "10.5.0.0/16", subnet("spoke", "narrow", "10.5.5.0/24", true)),
                network("edge", "10.5.5.0/24", subnet("edge", "narrower", "10.5.5.0/28", false)),
                network("amber", "10.7.0.0/16", subnet("amber", "web", "10.7.1.0/24", true)),
                network("blue", "10.7.0.0/16", subnet("blue", "web", "10.7.1.0/24", false)));
        String[] allowed = allowedSubnet.split("/");
        vaults.put("vault", Optional.of(rules(DefaultAction.DENY, Bypass.NONE, List.of(),
                List.of(subnetId(allowed[0], allowed[1])))));

        for (Engine each : Engine.values()) {
            Decision decision = decide(each, "vault", client, null, null);

            assertThat(decision.reason()).as("%s", each).isEqualTo(expected);
            if (attributed.isEmpty()) {
                assertThat(decision.sourceSubnet()).as("%s", each).isNull();
                continue;
            }
            String[] via = attributed.split("/");
            String id = subnetId(via[0], via[1]);
            assertThat(decision.resolvedSubnetId()).as("%s", each).isEqualTo(id);
            boolean endpoint = !via[0].equals("edge") && !via[0].equals("blue");
            assertThat(decision.sourceSubnet().keyVaultEndpoint()).as("%s", each).isEqualTo(endpoint);
            if (!decision.allowed()) {
                assertThat(decision.message()).as("%s", each).contains("request came through subnet " + id)
                        .contains(endpoint ? "" : "does not have the Microsoft.KeyVault service endpoint enabled");
            }
        }
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
                .isEqualTo(new Allowed(Reason.IP_RULE, "52.168.10.0/24", null, enabled(front)));
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

    // ---- clients that are not IPv4

    @ParameterizedTest
    @EnumSource(Engine.class)
    void decides_an_ipv6_client_by_the_default_action_and_trusted_services_only(Engine engine) {
        vaults.put("open", Optional.empty());
        vaults.put("allow", Optional.of(rules(DefaultAction.ALLOW, Bypass.NONE, List.of(), List.of())));
        vaults.put("deny", Optional.of(rules(DefaultAction.DENY, Bypass.AZURE_SERVICES, List.of("52.1.0.0/16"),
                List.of(APP_SUBNET))));

        assertThat(decide(engine, "open", "2001:db8::1", null, null).reason()).isEqualTo(Reason.DEFAULT_ALLOW);
        assertThat(decide(engine, "allow", "2001:db8::1", null, null).reason()).isEqualTo(Reason.DEFAULT_ALLOW);
        assertThat(decide(engine, "deny", "2001:db8::1", null, BACKUP_APP_ID).reason()).isEqualTo(Reason.TRUSTED_SERVICE);
        Decision denied = decide(engine, "deny", "2001:db8::1", APP_SUBNET, SOME_APP_ID);
        assertThat(denied).isEqualTo(Denied.notIpv4(NetworkFixtures.ip("2001:db8::1")));
        assertThat(denied.message()).contains("2001:db8::1", "IPv4-only");
        assertThat(denied.sourceSubnet()).isNull();
    }

    @Test
    void refuses_a_check_whose_client_address_is_not_one_ip_address() {
        assertThat(CheckInput.of("vault", "2001:db8::1", null, null).ipv4()).isFalse();
        assertThat(CheckInput.of("vault", "::ffff:52.1.2.3", null, null).ipv4()).isTrue();
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

    private Decision decide(Engine engine, String vault, String client, String sourceSubnet, boolean behindNat) {
        return engine.over(vaults, networks, catalog).apply(CheckInput.of(vault, client, sourceSubnet, behindNat, null));
    }

    private static SourceSubnet enabled(String subnetId) {
        return new SourceSubnet(subnetId, true);
    }

    private static NetworkRuleSet rules(DefaultAction action, Bypass bypass, List<String> ips, List<String> subnets) {
        return new NetworkRuleSet(action, bypass,
                ips.stream().map(v -> IpRule.of(NetworkFixtures.ip(v))).toList(),
                subnets.stream().map(s -> new VirtualNetworkRule(SubnetId.parse(s).orElseThrow(), false))
                        .toList());
    }
}
