package dev.moat.audit.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiagnoserTest {

    private static final Instant FROM = Instant.parse("2024-05-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2024-05-02T00:00:00Z");
    private static final String SUBNET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vn/subnets/app";

    private static DenialGroup group(String ip, String subnet, long count, String first, String last, String... ops) {
        return new DenialGroup(ip, subnet, count, Instant.parse(first), Instant.parse(last), Set.of(ops));
    }

    private static Diagnosis diagnose(DenialGroup... groups) {
        return Diagnoser.diagnose("v", FROM, TO, List.of(groups), Map.of(), false);
    }

    @Test
    void a_public_address_is_admitted_by_an_ip_rule_for_it() {
        Diagnosis diagnosis = diagnose(group("203.0.113.7", null, 3, "2024-05-01T01:00:00Z", "2024-05-01T02:00:00Z", "SecretGet"));

        Diagnosis.Client client = diagnosis.clients().get(0);
        assertThat(client.clientAddress()).isEqualTo("203.0.113.7");
        assertThat(client.remedy().kind()).isEqualTo(Remedy.Kind.ADD_IP_RULE);
        assertThat(client.remedy().rule()).isEqualTo("203.0.113.7");
        assertThat(client.remedy().description()).contains("IP rule for 203.0.113.7");
        assertThat(diagnosis.subnets()).isEmpty();
    }

    @Test
    void a_request_through_a_subnet_is_admitted_by_a_virtual_network_rule_for_that_subnet() {
        Diagnosis diagnosis = diagnose(group("10.0.0.4", SUBNET, 2, "2024-05-01T01:00:00Z", "2024-05-01T02:00:00Z", "SecretList"));

        assertThat(diagnosis.clients().get(0).remedy())
                .isEqualTo(new Remedy(Remedy.Kind.ADD_VIRTUAL_NETWORK_RULE, SUBNET, Remedy.virtualNetworkRule(SUBNET).description()));
        assertThat(diagnosis.clients().get(0).remedy().description())
                .startsWith("Enable the Microsoft.KeyVault service endpoint on subnet " + SUBNET)
                .contains("add a virtual network rule");
        Diagnosis.Subnet subnet = diagnosis.subnets().get(0);
        assertThat(subnet.subnetId()).isEqualTo(SUBNET);
        assertThat(subnet.clientAddresses()).containsExactly("10.0.0.4");
        assertThat(subnet.remedy().kind()).isEqualTo(Remedy.Kind.ADD_VIRTUAL_NETWORK_RULE);
    }

    static Stream<Arguments> clientsNoIpRuleCanAdmit() {
        return Stream.of(
                Arguments.of("a private address without subnet cannot be admitted by an IP rule", "192.168.1.20", 1,
                        "KeyGet", Remedy.Kind.USE_VIRTUAL_NETWORK, List.of("192.168.1.20 is a private address")),
                Arguments.of("an IPv6 client is told that network rules are IPv4-only", "2001:db8::1", 2, "SecretGet",
                        Remedy.Kind.USE_IPV4, List.of("2001:db8::1 is not an IPv4 address", "IPv4-only")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientsNoIpRuleCanAdmit")
    void a_client_no_ip_rule_can_admit_is_told_what_would(String rule, String address, long count, String operation,
            Remedy.Kind kind, List<String> mentions) {
        Diagnosis diagnosis = diagnose(group(address, null, count, "2024-05-01T01:00:00Z", "2024-05-01T01:00:00Z",
                operation));

        Remedy remedy = diagnosis.clients().get(0).remedy();
        assertThat(remedy.kind()).isEqualTo(kind);
        assertThat(remedy.rule()).isNull();
        assertThat(remedy.description()).contains(mentions);
    }

    @Test
    void a_benchmarking_address_is_not_public() {
        assertThat(diagnose(group("198.18.0.9", null, 1, "2024-05-01T01:00:00Z", "2024-05-01T01:00:00Z"))
                .clients().get(0).remedy().kind()).isEqualTo(Remedy.Kind.USE_VIRTUAL_NETWORK);
    }

    @Test
    void an_unknown_client_address_names_no_rule() {
        Diagnosis diagnosis = diagnose(group(null, null, 1, "2024-05-01T01:00:00Z", "2024-05-01T01:00:00Z"));

        assertThat(diagnosis.clients().get(0).remedy().kind()).isEqualTo(Remedy.Kind.UNKNOWN_CLIENT);
    }

    @Test
    void groups_of_one_client_add_up_with_first_and_last_seen_and_every_operation() {
        Diagnosis diagnosis = diagnose(
                group("203.0.113.7", null, 2, "2024-05-01T03:00:00Z", "2024-05-01T04:00:00Z", "SecretGet"),
                group("203.0.113.7", SUBNET, 5, "2024-05-01T01:00:00Z", "2024-05-01T02:00:00Z", "SecretList", "SecretGet"),
                group("198.51.100.1", null, 1, "2024-05-01T05:00:00Z", "2024-05-01T05:00:00Z", "KeySign"));

        assertThat(diagnosis.firewallDenials()).isEqualTo(8);
        assertThat(diagnosis.clients()).extracting(Diagnosis.Client::clientAddress).containsExactly("203.0.113.7", "198.51.100.1");
        Diagnosis.Client top = diagnosis.clients().get(0);
        assertThat(top.count()).isEqualTo(7);
        assertThat(top.firstSeen()).isEqualTo(Instant.parse("2024-05-01T01:00:00Z"));
        assertThat(top.lastSeen()).isEqualTo(Instant.parse("2024-05-01T04:00:00Z"));
        assertThat(top.operations()).containsExactly("SecretGet", "SecretList");
        assertThat(top.subnetIds()).containsExactly(SUBNET);
        assertThat(top.remedy().kind()).isEqualTo(Remedy.Kind.ADD_VIRTUAL_NETWORK_RULE);
    }

    @Test
    void subnet_ids_that_differ_only_in_case_are_one_subnet() {
        Diagnosis diagnosis = diagnose(
                group("10.0.0.4", SUBNET, 1, "2024-05-01T01:00:00Z", "2024-05-01T01:00:00Z", "SecretGet"),
                group("10.0.0.5", SUBNET.toUpperCase(), 1, "2024-05-01T02:00:00Z", "2024-05-01T02:00:00Z", "SecretGet"));

        assertThat(diagnosis.subnets()).hasSize(1);
        assertThat(diagnosis.subnets().get(0).clientAddresses()).containsExactly("10.0.0.4", "10.0.0.5");
    }
}
