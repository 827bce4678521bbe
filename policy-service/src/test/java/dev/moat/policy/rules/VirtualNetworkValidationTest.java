package dev.moat.policy.rules;

import static dev.moat.policy.network.NetworkFixtures.subnetId;
import static dev.moat.policy.network.NetworkFixtures.vnetId;
import static dev.moat.policy.rules.ValidationOutcome.accepted;
import static dev.moat.policy.rules.ValidationOutcome.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.policy.network.ServiceEndpoints;
import dev.moat.policy.network.Subnet;
import dev.moat.policy.network.VirtualNetwork;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per rule of virtual network and subnet validation; a refused network produces nothing. */
class VirtualNetworkValidationTest {

    private static final String ID = vnetId("app");

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void applies_each_rule_of_virtual_network_validation(String rule,
            VirtualNetworkInput input, ValidationOutcome<VirtualNetwork> expected) {
        expected.verify(VirtualNetworkValidator.validate(input));
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("accepts private address space with subnets inside it",
                        vnet(List.of("10.1.0.0/16"), subnet("frontend", "10.1.1.0/24", "Microsoft.KeyVault"),
                                subnet("backend", "10.1.2.0/24")),
                        accepted(n -> {
                            assertThat(n.subnets()).extracting(s -> s.id().value())
                                    .containsExactly(subnetId("app", "frontend"), subnetId("app", "backend"));
                            assertThat(n.subnets()).extracting(Subnet::hasKeyVaultEndpoint).containsExactly(true, false);
                        })),
                row("accepts subnets in each of several address prefixes",
                        vnet(List.of("10.1.0.0/16", "192.168.0.0/24"), subnet("a", "10.1.0.0/24"), subnet("b", "192.168.0.0/26")),
                        accepted(n -> assertThat(n.subnets()).hasSize(2))),
                row("normalises the Key Vault endpoint name written in any case",
                        vnet(List.of("10.1.0.0/16"), subnet("frontend", "10.1.1.0/24", "microsoft.KEYVAULT")),
                        accepted(n -> assertThat(n.subnets().get(0).serviceEndpoints()).containsExactly(ServiceEndpoints.KEY_VAULT))),
                row("keeps other Microsoft service endpoints",
                        vnet(List.of("10.1.0.0/16"), subnet("frontend", "10.1.1.0/24", "Microsoft.Storage.Global")),
                        accepted(n -> assertThat(n.subnets().get(0).serviceEndpoints()).containsExactly("Microsoft.Storage.Global"))),
                row("accepts a subnet id echoed back in another case",
                        vnet(List.of("10.1.0.0/16"), new SubnetInput("frontend", "10.1.1.0/24", List.of(),
                                subnetId("app", "frontend").toLowerCase())),
                        accepted(n -> assertThat(n.subnets()).hasSize(1))),

                row("refuses a malformed network id",
                        new VirtualNetworkInput("/subscriptions/s/resourceGroups/rg/virtualNetworks/app", List.of("10.1.0.0/16"), null),
                        refused(ViolationCode.MALFORMED_VIRTUAL_NETWORK_ID, "id",
                                "/subscriptions/s/resourceGroups/rg/virtualNetworks/app", "Microsoft.Network/virtualNetworks")),
                row("refuses a network without an id", new VirtualNetworkInput(null, List.of("10.1.0.0/16"), null),
                        refused(ViolationCode.REQUIRED, "id", null, "id is required")),
                row("refuses a network without address space", vnet(List.of()),
                        refused(ViolationCode.REQUIRED, "addressPrefixes", null, "at least one IPv4 CIDR range")),
                row("refuses a malformed address prefix", vnet(List.of("10.1.0/16")),
                        refused(ViolationCode.MALFORMED_ADDRESS, "addressPrefixes[0]", "10.1.0/16", "not an IPv4 address")),
                row("refuses an IPv6 address prefix", vnet(List.of("fd00::/8")),
                        refused(ViolationCode.IPV6_NOT_SUPPORTED, "addressPrefixes[0]", "fd00::/8", "only IPv4 is supported")),
                row("refuses a single address as address space", vnet(List.of("10.1.0.0")),
                        refused(ViolationCode.NOT_A_RANGE, "addressPrefixes[0]", "10.1.0.0", "CIDR range is required")),
                row("refuses an address prefix with host bits set and says which was meant", vnet(List.of("10.1.2.3/16")),
                        refused(ViolationCode.HOST_BITS_SET, "addressPrefixes[0]", "10.1.2.3/16", "did you mean 10.1.0.0/16?")),
                row("refuses overlapping address prefixes", vnet(List.of("10.1.0.0/16", "10.1.128.0/17")),
                        refused(ViolationCode.ADDRESS_SPACE_OVERLAP, "addressPrefixes[1]", "10.1.128.0/17", "10.1.0.0/16")),
                row("refuses a subnet outside the address space",
                        vnet(List.of("10.1.0.0/16"), subnet("a", "10.1.1.0/24"), subnet("b", "10.2.1.0/24")),
                        refused(ViolationCode.SUBNET_OUTSIDE_ADDRESS_SPACE, "subnets[1].addressPrefix", "10.2.1.0/24",
                                "10.1.0.0/16")),
                row("refuses a subnet that straddles two address prefixes",
                        vnet(List.of("10.1.0.0/24", "10.1.1.0/24"), subnet("a", "10.1.0.0/23")),
                        refused(ViolationCode.SUBNET_OUTSIDE_ADDRESS_SPACE, "subnets[0].addressPrefix", "10.1.0.0/23",
                                "not inside")),
                row("refuses subnets that overlap each other",
                        vnet(List.of("10.1.0.0/16"), subnet("a", "10.1.0.0/20"), subnet("b", "10.1.4.0/24")),
                        refused(ViolationCode.SUBNET_OVERLAP, "subnets[1].addressPrefix", "10.1.4.0/24", "subnet 'a'")),
                row("refuses a subnet id that is not under its network",
                        vnet(List.of("10.1.0.0/16"), new SubnetInput("frontend", "10.1.1.0/24", List.of(),
                                subnetId("other", "frontend"))),
                        refused(ViolationCode.SUBNET_NOT_IN_NETWORK, "subnets[0].id", subnetId("other", "frontend"),
                                "expected " + subnetId("app", "frontend"))),
                row("refuses a subnet name with illegal characters",
                        vnet(List.of("10.1.0.0/16"), subnet("front end", "10.1.1.0/24")),
                        refused(ViolationCode.MALFORMED_SUBNET_NAME, "subnets[0].name", "front end", "not a valid subnet name")),
                row("refuses a subnet without a name", vnet(List.of("10.1.0.0/16"), subnet("", "10.1.1.0/24")),
                        refused(ViolationCode.REQUIRED, "subnets[0].name", "", "is required")),
                row("refuses two subnets with the same name in different case",
                        vnet(List.of("10.1.0.0/16"), subnet("Frontend", "10.1.1.0/24"), subnet("frontend", "10.1.2.0/24")),
                        refused(ViolationCode.DUPLICATE_SUBNET, "subnets[1].name", "frontend", "subnets[0]")),
                row("refuses a malformed subnet prefix", vnet(List.of("10.1.0.0/16"), subnet("a", "10.1.1.0/40")),
                        refused(ViolationCode.MALFORMED_ADDRESS, "subnets[0].addressPrefix", "10.1.1.0/40", "not an IPv4 address")),
                row("refuses a service endpoint that is not a Microsoft service",
                        vnet(List.of("10.1.0.0/16"), subnet("a", "10.1.1.0/24", "Contoso.Vault")),
                        refused(ViolationCode.MALFORMED_SERVICE_ENDPOINT, "subnets[0].serviceEndpoints[0]", "Contoso.Vault",
                                "Microsoft.<Service>")));
    }

    private static Arguments row(String rule, VirtualNetworkInput input, ValidationOutcome<VirtualNetwork> outcome) {
        return Arguments.of(rule, input, outcome);
    }

    private static VirtualNetworkInput vnet(List<String> addressPrefixes, SubnetInput... subnets) {
        return new VirtualNetworkInput(ID, addressPrefixes, List.of(subnets));
    }

    private static SubnetInput subnet(String name, String prefix, String... endpoints) {
        return new SubnetInput(name, prefix, List.of(endpoints));
    }
}
