package dev.moat.policy.network;

import static dev.moat.policy.network.NetworkFixtures.subnetId;
import static dev.moat.policy.network.NetworkFixtures.vnetId;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceIdTest {

    @Test
    void compares_subnet_ids_case_insensitively_as_arm_does() {
        SubnetId written = SubnetId.parse(subnetId("App-Net", "Front_End")).orElseThrow();
        SubnetId shouted = SubnetId.parse(subnetId("App-Net", "Front_End").toUpperCase()).orElseThrow();

        assertThat(shouted).isEqualTo(written).hasSameHashCodeAs(written);
        assertThat(written.value()).isEqualTo(subnetId("App-Net", "Front_End"));
        assertThat(written.name()).isEqualTo("Front_End");
        assertThat(written.network()).isEqualTo(VirtualNetworkId.parse(vnetId("app-net")).orElseThrow());
    }

    @Test
    void writes_the_fixed_segments_of_an_id_in_their_canonical_spelling() {
        String lowered = subnetId("app", "web").toLowerCase();

        SubnetId id = SubnetId.parse(lowered).orElseThrow();

        assertThat(id.value()).contains("/resourceGroups/").contains("/providers/Microsoft.Network/virtualNetworks/")
                .endsWith("/subnets/web");
        assertThat(id.key()).isEqualTo(lowered);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "subnets/web",
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/app",
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/app/subnets/web/",
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/app/subnets/",
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/virtualNetworks/app/subnets/web",
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/app/subnets/-web",
            "/subscriptions/s1/resourceGroups/rg./providers/Microsoft.Network/virtualNetworks/app/subnets/web",
            "/subscriptions/s_1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/app/subnets/web",
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/app/subnets/we b"})
    void refuses_malformed_subnet_ids(String text) {
        assertThat(SubnetId.parse(text)).isEmpty();
    }

    @Test
    void names_the_subnets_of_a_network_under_its_id() {
        VirtualNetworkId network = VirtualNetworkId.parse(vnetId("app")).orElseThrow();

        assertThat(network.subnet("web")).map(SubnetId::value).contains(subnetId("app", "web"));
        assertThat(network.subnet("web/other")).isEmpty();
    }
}
