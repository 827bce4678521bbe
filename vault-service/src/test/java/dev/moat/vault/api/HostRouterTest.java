package dev.moat.vault.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostRouterTest {

    @ParameterizedTest
    @CsvSource({
            "//metadata/endpoints, /metadata/endpoints",
            "/metadata/endpoints, /metadata/endpoints",
            "/subscriptions/s/resourcegroups/rg, /subscriptions/s/resourceGroups/rg",
            "/subscriptions/s/RESOURCEGROUPS, /subscriptions/s/resourceGroups",
            "/subscriptions/s/resourcegroups/rg/providers/Microsoft.Network//virtualNetworks/n,"
                    + " /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/n",
            "/subscriptions/s/resourcegroupsx, /subscriptions/s/resourcegroupsx",
            "/subscriptions/resourcegroups/resourcegroups/rg, /subscriptions/resourcegroups/resourceGroups/rg"})
    void arm_paths_are_taken_to_the_one_spelling_the_resources_declare(String sent, String served) {
        assertThat(HostRouter.canonicalArmPath(sent)).isEqualTo(served);
    }
}
