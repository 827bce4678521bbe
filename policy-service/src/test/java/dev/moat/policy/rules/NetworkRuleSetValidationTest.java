package dev.moat.policy.rules;

import static dev.moat.policy.network.NetworkFixtures.network;
import static dev.moat.policy.network.NetworkFixtures.subnet;
import static dev.moat.policy.network.NetworkFixtures.subnetId;
import static dev.moat.policy.rules.ValidationOutcome.accepted;
import static dev.moat.policy.rules.ValidationOutcome.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.moat.policy.network.Subnet;
import dev.moat.policy.network.VirtualNetworks;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule and limit of the source document (and the architecture's edge cases). Every refused row
 * hides the offending value among valid ones, so each row also shows that a rejected update produces nothing.
 */
class NetworkRuleSetValidationTest {

    private static final String GOOD_IP = "52.168.10.0/24";
    private static final String OTHER_GOOD_IP = "124.56.78.91";

    /** 128 subnets with the Key Vault endpoint, to reach the virtual network rule limit. */
    private static final Subnet[] MANY_SUBNETS = IntStream.range(0, 128)
            .mapToObj(i -> subnet("big", "s" + i, "10.0." + i + ".0/24", true)).toArray(Subnet[]::new);

    private static final VirtualNetworks NETWORKS = VirtualNetworks.of(
            network("big", "10.0.0.0/16", MANY_SUBNETS),
            network("app", "10.1.0.0/16",
                    subnet("app", "with-kv", "10.1.1.0/24", true),
                    subnet("app", "without-kv", "10.1.2.0/24", false)));

    private static final String WITH_KV = subnetId("app", "with-kv");
    private static final String WITHOUT_KV = subnetId("app", "without-kv");
    private static final String MISSING = subnetId("app", "not-there");

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void applies_each_rule_of_the_source_document(String rule, Limits limits,
            NetworkRuleSetInput input, ValidationOutcome<NetworkRuleSet> expected) {
        Validated<NetworkRuleSet> result = new NetworkRuleSetValidator(limits).validate(input, NETWORKS);
        expected.verify(result);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // "A maximum of 127 virtual network rules and 127 IPv4 rules are allowed."
                row("accepts 127 IP rules", ipRules(publicAddresses(127)),
                        accepted(set -> assertThat(set.ipRules()).hasSize(127))),
                row("refuses 128 IP rules", ipRules(publicAddresses(128)),
                        refused(ViolationCode.TOO_MANY_IP_RULES, "ipRules", "128", "limit of 127")),
                row("accepts 127 virtual network rules", vnetRules(bigSubnetRules(127)),
                        accepted(set -> assertThat(set.virtualNetworkRules()).hasSize(127))),
                row("refuses 128 virtual network rules", vnetRules(bigSubnetRules(128)),
                        refused(ViolationCode.TOO_MANY_VIRTUAL_NETWORK_RULES, "virtualNetworkRules", "128", "limit of 127")),
                row("applies an operator's lower IP rule limit", new Limits(3, 2), ipRules(publicAddresses(4)),
                        refused(ViolationCode.TOO_MANY_IP_RULES, "ipRules", "4", "limit of 3")),
                row("applies an operator's lower virtual network rule limit", new Limits(3, 2),
                        vnetRules(bigSubnetRules(3)),
                        refused(ViolationCode.TOO_MANY_VIRTUAL_NETWORK_RULES, "virtualNetworkRules", "3", "limit of 2")),
                row("applies an operator's higher limits", new Limits(200, 200),
                        new NetworkRuleSetInput("Deny", null, publicAddresses(128), bigSubnetRules(128)),
                        accepted(set -> assertThat(set.ipRules()).hasSize(128))),

                // "Small address ranges that use the /31 or /32 prefix sizes are not supported."
                row("refuses a /31 range with the individual address hint", badIpRule("203.0.113.4/31"),
                        refusedIp(ViolationCode.RANGE_TOO_SMALL, "203.0.113.4/31",
                                "use an individual IP address rule (e.g. `203.0.113.4`)")),
                row("refuses a /32 range with the individual address hint", badIpRule("203.0.113.9/32"),
                        refusedIp(ViolationCode.RANGE_TOO_SMALL, "203.0.113.9/32",
                                "use an individual IP address rule (e.g. `203.0.113.9`)")),
                row("accepts a /30 range, the smallest range allowed", ipRules(List.of("203.0.113.4/30")),
                        accepted(set -> assertThat(set.ipRules().get(0).value()).isEqualTo("203.0.113.4/30"))),
                row("accepts an individual address as it is written", ipRules(List.of("124.56.78.91")),
                        accepted(set -> assertThat(set.ipRules().get(0).value()).isEqualTo("124.56.78.91"))),

                // "IP network rules are only allowed for public IP addresses" (RFC 1918 and other non-routable blocks)
                row("refuses an address range in 10.0.0.0/8 (RFC 1918)", badIpRule("10.20.0.0/16"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "10.20.0.0/16", "10.0.0.0/8", "RFC 1918", "public addresses only")),
                row("refuses an address range in 172.16.0.0/12 (RFC 1918)", badIpRule("172.31.255.0/24"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "172.31.255.0/24", "172.16.0.0/12", "RFC 1918")),
                row("refuses an address in 192.168.0.0/16 (RFC 1918)", badIpRule("192.168.1.10"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "192.168.1.10", "192.168.0.0/16", "RFC 1918")),
                row("refuses an address in 0.0.0.0/8", badIpRule("0.1.2.3"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "0.1.2.3", "0.0.0.0/8")),
                row("refuses a range in 100.64.0.0/10 (carrier-grade NAT)", badIpRule("100.127.0.0/16"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "100.127.0.0/16", "100.64.0.0/10")),
                row("refuses a loopback address in 127.0.0.0/8", badIpRule("127.0.0.1"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "127.0.0.1", "127.0.0.0/8")),
                row("refuses a link-local address in 169.254.0.0/16", badIpRule("169.254.169.254"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "169.254.169.254", "169.254.0.0/16")),
                row("refuses a multicast address in 224.0.0.0/4", badIpRule("224.0.0.251"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "224.0.0.251", "224.0.0.0/4")),
                row("refuses the broadcast address in 240.0.0.0/4", badIpRule("255.255.255.255"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "255.255.255.255", "240.0.0.0/4")),
                row("refuses a benchmarking address in 198.18.0.0/15", badIpRule("198.19.0.0/16"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "198.19.0.0/16", "198.18.0.0/15", "RFC 2544")),
                row("refuses 0.0.0.0/0 and says that allowing everything is defaultAction Allow", badIpRule("0.0.0.0/0"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "0.0.0.0/0", "198.18.0.0/15",
                                "to allow every address use defaultAction: Allow")),
                row("refuses a range that contains a private block (8.0.0.0/6 holds 10.0.0.0/8)", badIpRule("8.0.0.0/6"),
                        refusedIp(ViolationCode.NOT_PUBLIC, "8.0.0.0/6", "10.0.0.0/8")),
                row("accepts public ranges right next to the reserved blocks",
                        ipRules(List.of("11.0.0.0/8", "172.32.0.0/11", "100.128.0.0/9", "192.169.0.0/16", "223.255.255.0/24",
                                "9.255.255.255", "128.0.0.0/3")),
                        accepted(set -> assertThat(set.ipRules()).hasSize(7))),

                // "Only IPv4 addresses are supported at this time."
                row("refuses an IPv6 address", badIpRule("2001:db8::7"),
                        refusedIp(ViolationCode.IPV6_NOT_SUPPORTED, "2001:db8::7", "only IPv4 is supported")),
                row("refuses an IPv6 range", badIpRule("2001:db8::/32"),
                        refusedIp(ViolationCode.IPV6_NOT_SUPPORTED, "2001:db8::/32", "only IPv4 is supported")),

                // Malformed values and host bits.
                row("refuses an address with three segments", badIpRule("52.168.10"),
                        refusedIp(ViolationCode.MALFORMED_ADDRESS, "52.168.10", "not an IPv4 address")),
                row("refuses an address with a segment above 255", badIpRule("300.1.2.3"),
                        refusedIp(ViolationCode.MALFORMED_ADDRESS, "300.1.2.3", "not an IPv4 address")),
                row("refuses a prefix longer than 32 bits", badIpRule("52.1.2.0/33"),
                        refusedIp(ViolationCode.MALFORMED_ADDRESS, "52.1.2.0/33", "not an IPv4 address")),
                row("refuses a wildcard address", badIpRule("52.1.2.*"),
                        refusedIp(ViolationCode.MALFORMED_ADDRESS, "52.1.2.*", "not an IPv4 address")),
                row("refuses text that is no address", badIpRule("my-office"),
                        refusedIp(ViolationCode.MALFORMED_ADDRESS, "my-office", "not an IPv4 address")),
                row("refuses an empty IP rule", badIpRule(""),
                        refused(ViolationCode.REQUIRED, "ipRules[1].value", "", "is required")),
                row("refuses a range with host bits set and says which network was meant", badIpRule("20.30.40.50/24"),
                        refusedIp(ViolationCode.HOST_BITS_SET, "20.30.40.50/24", "did you mean 20.30.40.0/24?")),

                // Duplicates.
                row("refuses the same IP rule twice", ipRules(List.of(GOOD_IP, OTHER_GOOD_IP, GOOD_IP)),
                        refused(ViolationCode.DUPLICATE_IP_RULE, "ipRules[2].value", GOOD_IP, "ipRules[0]")),
                row("refuses the same subnet twice, whatever the case of its id",
                        vnetRules(List.of(rule(WITH_KV, false), rule(WITH_KV.toUpperCase(), false))),
                        refused(ViolationCode.DUPLICATE_VIRTUAL_NETWORK_RULE, "virtualNetworkRules[1].id",
                                WITH_KV.toUpperCase(), "virtualNetworkRules[0]")),

                // "Enable service endpoints for key vault for target virtual networks and subnets."
                row("refuses a virtual network rule naming a subnet that does not exist", badVnetRule(rule(MISSING, false)),
                        refusedVnet(ViolationCode.SUBNET_NOT_FOUND, MISSING, "does not exist", "ignoreMissingVnetServiceEndpoint")),
                row("refuses a virtual network rule naming a subnet without the Key Vault endpoint",
                        badVnetRule(rule(WITHOUT_KV, false)),
                        refusedVnet(ViolationCode.SERVICE_ENDPOINT_MISSING, WITHOUT_KV, "Microsoft.KeyVault")),
                row("accepts a rule to a subnet without the endpoint when told to ignore it",
                        vnetRules(List.of(rule(WITHOUT_KV, true))),
                        accepted(set -> assertThat(set.virtualNetworkRules().get(0).ignoreMissingVnetServiceEndpoint()).isTrue())),
                row("accepts a rule to a missing subnet when told to ignore it", vnetRules(List.of(rule(MISSING, true))),
                        accepted(set -> assertThat(set.virtualNetworkRules().get(0).subnetId().value()).isEqualTo(MISSING))),
                row("refuses a virtual network id where a subnet id is expected",
                        badVnetRule(rule(MISSING.substring(0, MISSING.indexOf("/subnets/")), false)),
                        refusedVnet(ViolationCode.MALFORMED_SUBNET_ID, MISSING.substring(0, MISSING.indexOf("/subnets/")),
                                "not a subnet id")),
                row("refuses a subnet id of another resource provider",
                        badVnetRule(rule(WITH_KV.replace("Microsoft.Network", "Microsoft.Storage"), false)),
                        refusedVnet(ViolationCode.MALFORMED_SUBNET_ID,
                                WITH_KV.replace("Microsoft.Network", "Microsoft.Storage"), "not a subnet id")),
                row("refuses a subnet id with illegal characters", badVnetRule(rule(WITH_KV + "!", true)),
                        refusedVnet(ViolationCode.MALFORMED_SUBNET_ID, WITH_KV + "!", "not a subnet id")),
                row("refuses a virtual network rule without an id", badVnetRule(rule(" ", false)),
                        refused(ViolationCode.REQUIRED, "virtualNetworkRules[1].id", " ", "is required")),
                row("accepts a subnet id in another case, as ARM compares ids",
                        vnetRules(List.of(rule(WITH_KV.toLowerCase(), false))),
                        accepted(set -> assertThat(set.virtualNetworkRules()).hasSize(1))),

                // defaultAction and bypass, case-insensitive as ARM accepts them.
                row("refuses an unknown defaultAction naming the allowed values",
                        new NetworkRuleSetInput("Block", "AzureServices", List.of(GOOD_IP), null),
                        refused(ViolationCode.INVALID_DEFAULT_ACTION, "defaultAction", "Block", "Allow and Deny")),
                row("refuses an unknown bypass naming the allowed values",
                        new NetworkRuleSetInput("Deny", "Logging", List.of(GOOD_IP), null),
                        refused(ViolationCode.INVALID_BYPASS, "bypass", "Logging", "AzureServices and None")),
                row("refuses a storage-style bypass list",
                        new NetworkRuleSetInput("Deny", "AzureServices, Logging", List.of(GOOD_IP), null),
                        refused(ViolationCode.INVALID_BYPASS, "bypass", "AzureServices, Logging", "AzureServices and None")),
                row("accepts defaultAction and bypass in lower case", new NetworkRuleSetInput("deny", "azureservices", null, null),
                        accepted(set -> {
                            assertThat(set.defaultAction()).isEqualTo(DefaultAction.DENY);
                            assertThat(set.bypass()).isEqualTo(Bypass.AZURE_SERVICES);
                        })),
                row("accepts defaultAction and bypass in upper case", new NetworkRuleSetInput("ALLOW", "NONE", null, null),
                        accepted(set -> {
                            assertThat(set.defaultAction()).isEqualTo(DefaultAction.ALLOW);
                            assertThat(set.bypass()).isEqualTo(Bypass.NONE);
                        })),
                row("takes ARM's defaults when defaultAction and bypass are absent", new NetworkRuleSetInput(null, "", null, null),
                        accepted(set -> {
                            assertThat(set.defaultAction()).isEqualTo(DefaultAction.ALLOW);
                            assertThat(set.bypass()).isEqualTo(Bypass.AZURE_SERVICES);
                        })));
    }

    @Test
    void reports_every_violation_of_a_request_not_only_the_first() {
        NetworkRuleSetInput input = new NetworkRuleSetInput("Block", "None",
                List.of("10.0.0.0/8", GOOD_IP, "1.2.3.4/32", "2001:db8::1"), List.of(rule(MISSING, false)));

        Validated<NetworkRuleSet> result = new NetworkRuleSetValidator().validate(input, NETWORKS);

        assertThat(result.violations()).extracting(Violation::field, Violation::code).containsExactly(
                tuple("defaultAction", ViolationCode.INVALID_DEFAULT_ACTION),
                tuple("ipRules[0].value", ViolationCode.NOT_PUBLIC),
                tuple("ipRules[2].value", ViolationCode.RANGE_TOO_SMALL),
                tuple("ipRules[3].value", ViolationCode.IPV6_NOT_SUPPORTED),
                tuple("virtualNetworkRules[0].id", ViolationCode.SUBNET_NOT_FOUND));
        assertThatThrownBy(result::orElseThrow).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ipRules[0].value").hasMessageContaining("virtualNetworkRules[0].id");
    }

    @Test
    void reads_back_a_validated_rule_set_as_the_same_rule_set() {
        NetworkRuleSet rules = new NetworkRuleSetValidator().validate(new NetworkRuleSetInput("deny", "none",
                List.of(" 124.56.78.91 ", GOOD_IP), List.of(rule(WITH_KV.toLowerCase(), false), rule(MISSING, true))),
                NETWORKS).orElseThrow();

        NetworkRuleSet again = new NetworkRuleSetValidator().validate(NetworkRuleSetInput.from(rules), NETWORKS).orElseThrow();

        assertThat(again).isEqualTo(rules);
        assertThat(rules.ipRules()).extracting(IpRule::value).containsExactly("124.56.78.91", GOOD_IP);
    }

    // ---- rows

    private static Arguments row(String rule, NetworkRuleSetInput input, ValidationOutcome<NetworkRuleSet> outcome) {
        return row(rule, Limits.DEFAULT, input, outcome);
    }

    private static Arguments row(String rule, Limits limits,
            NetworkRuleSetInput input, ValidationOutcome<NetworkRuleSet> outcome) {
        return Arguments.of(rule, limits, input, outcome);
    }

    private static NetworkRuleSetInput ipRules(List<String> values) {
        return new NetworkRuleSetInput("Deny", "AzureServices", values, null);
    }

    /** The bad value between two good ones: position 1. */
    private static NetworkRuleSetInput badIpRule(String value) {
        return ipRules(List.of(GOOD_IP, value, OTHER_GOOD_IP));
    }

    private static NetworkRuleSetInput vnetRules(List<VirtualNetworkRuleInput> rules) {
        return new NetworkRuleSetInput("Deny", "AzureServices", List.of(GOOD_IP), rules);
    }

    /** The bad rule after a good one: position 1. */
    private static NetworkRuleSetInput badVnetRule(VirtualNetworkRuleInput rule) {
        return vnetRules(List.of(rule(WITH_KV, false), rule));
    }

    private static VirtualNetworkRuleInput rule(String id, boolean ignoreMissing) {
        return new VirtualNetworkRuleInput(id, ignoreMissing);
    }

    private static List<String> publicAddresses(int count) {
        return IntStream.range(0, count).mapToObj(i -> "52." + (i / 200) + "." + (i % 200) + ".7").toList();
    }

    private static List<VirtualNetworkRuleInput> bigSubnetRules(int count) {
        List<VirtualNetworkRuleInput> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rules.add(rule(subnetId("big", "s" + i), false));
        }
        return rules;
    }

    // ---- outcomes

    private static ValidationOutcome<NetworkRuleSet> refusedIp(ViolationCode code, String value, String... mentions) {
        return refused(code, "ipRules[1].value", value, mentions);
    }

    private static ValidationOutcome<NetworkRuleSet> refusedVnet(ViolationCode code, String value, String... mentions) {
        return refused(code, "virtualNetworkRules[1].id", value, mentions);
    }
}
