package dev.moat.policy.network;

import dev.moat.netaddr.Ipv4;
import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Set;

/** Ids, networks and addresses shared by the tests of every package. */
public final class NetworkFixtures {

    public static final String SUBSCRIPTION = "6f1e0a7c-1d2b-4c3d-9e8f-0a1b2c3d4e5f";
    public static final String RESOURCE_GROUP = "rg-moat";

    private NetworkFixtures() {
    }

    public static String vnetId(String vnet) {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP
                + "/providers/Microsoft.Network/virtualNetworks/" + vnet;
    }

    public static String subnetId(String vnet, String subnet) {
        return vnetId(vnet) + "/subnets/" + subnet;
    }

    public static SubnetId subnet(String vnet, String subnet) {
        return SubnetId.parse(subnetId(vnet, subnet)).orElseThrow();
    }

    public static IPAddress ip(String text) {
        return Ipv4.parse(text).orElseThrow(() -> new IllegalArgumentException(text));
    }

    /** A subnet of {@code vnet} with or without the Microsoft.KeyVault endpoint. */
    public static Subnet subnet(String vnet, String name, String prefix, boolean keyVaultEndpoint) {
        return new Subnet(subnet(vnet, name), ip(prefix),
                keyVaultEndpoint ? Set.of(ServiceEndpoints.KEY_VAULT) : Set.of());
    }

    /** A network named {@code vnet} with one address prefix. */
    public static VirtualNetwork network(String vnet, String addressSpace, Subnet... subnets) {
        return new VirtualNetwork(VirtualNetworkId.parse(vnetId(vnet)).orElseThrow(), List.of(ip(addressSpace)),
                List.of(subnets));
    }
}
