package dev.moat.policy.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A virtual network as received (ARM PUT of {@code Microsoft.Network/virtualNetworks}), before validation.
 *
 * @param id              full ARM id of the network
 * @param addressPrefixes the address space, IPv4 CIDR ranges (private ranges are normal here)
 * @param subnets         the subnets; null means none
 */
public record VirtualNetworkInput(String id, List<String> addressPrefixes, List<SubnetInput> subnets) {

    public VirtualNetworkInput {
        addressPrefixes = addressPrefixes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(addressPrefixes));
        subnets = subnets == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(subnets));
    }
}
