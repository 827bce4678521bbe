package dev.moat.policy.network;

import static dev.moat.policy.network.NetworkFixtures.network;
import static dev.moat.policy.network.NetworkFixtures.subnet;
import static dev.moat.policy.network.NetworkFixtures.vnetId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VirtualNetworksTest {

    private final VirtualNetworks networks = VirtualNetworks.of(
            network("b-net", "10.2.0.0/16", subnet("b-net", "web", "10.2.1.0/24", false)),
            network("a-net", "10.1.0.0/16", subnet("a-net", "web", "10.1.1.0/24", true)));

    @Test
    void finds_subnets_by_id_in_any_case() {
        assertThat(networks.findSubnet(NetworkFixtures.subnet("A-NET", "WEB"))).map(Subnet::hasKeyVaultEndpoint).contains(true);
        assertThat(networks.findSubnet(NetworkFixtures.subnet("a-net", "db"))).isEmpty();
        assertThat(networks.all()).extracting(n -> n.id().name()).containsExactly("a-net", "b-net");
    }

    @Test
    void enables_and_disables_a_service_endpoint_idempotently() {
        VirtualNetwork b = networks.find(VirtualNetworkId.parse(vnetId("b-net")).orElseThrow()).orElseThrow();
        SubnetId web = NetworkFixtures.subnet("b-net", "web");

        VirtualNetwork enabled = b.withServiceEndpoint(web, ServiceEndpoints.KEY_VAULT, true).orElseThrow();
        VirtualNetwork twice = enabled.withServiceEndpoint(web, ServiceEndpoints.KEY_VAULT, true).orElseThrow();
        VirtualNetwork disabled = twice.withServiceEndpoint(web, ServiceEndpoints.KEY_VAULT, false).orElseThrow();

        assertThat(twice).isEqualTo(enabled);
        assertThat(enabled.subnet(web)).map(Subnet::hasKeyVaultEndpoint).contains(true);
        assertThat(disabled.subnet(web)).map(Subnet::hasKeyVaultEndpoint).contains(false);
        assertThat(b.withServiceEndpoint(NetworkFixtures.subnet("b-net", "db"), ServiceEndpoints.KEY_VAULT, true)).isEmpty();
    }

    @Test
    void replaces_and_deletes_networks_and_refuses_duplicates() {
        VirtualNetworks replaced = networks.with(network("A-NET", "10.9.0.0/16"));
        VirtualNetworks deleted = replaced.without(VirtualNetworkId.parse(vnetId("a-net")).orElseThrow());

        assertThat(replaced.all()).hasSize(2);
        assertThat(replaced.findSubnet(NetworkFixtures.subnet("a-net", "web"))).isEmpty();
        assertThat(deleted.all()).extracting(n -> n.id().name()).containsExactly("b-net");
        assertThatThrownBy(() -> VirtualNetworks.of(network("x", "10.0.0.0/8"), network("X", "10.0.0.0/8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two virtual networks");
        assertThat(ServiceEndpoints.normalise("MICROSOFT.KEYVAULT")).contains(ServiceEndpoints.KEY_VAULT);
    }
}
