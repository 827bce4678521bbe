package dev.moat.policy.network;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A virtual network: its id, its address space (IPv4 CIDR prefixes; private ranges are the norm here) and
 * its subnets. Build it through {@code dev.moat.policy.rules.VirtualNetworkValidator} from user input, which
 * checks that subnets lie inside the address space and do not overlap.
 */
public record VirtualNetwork(VirtualNetworkId id, List<IPAddress> addressPrefixes, List<Subnet> subnets) {

    public VirtualNetwork {
        Objects.requireNonNull(id, "id");
        addressPrefixes = List.copyOf(addressPrefixes);
        subnets = List.copyOf(subnets);
        for (Subnet subnet : subnets) {
            if (!subnet.id().network().equals(id)) {
                throw new IllegalArgumentException("subnet " + subnet.id() + " is not a subnet of " + id);
            }
        }
    }

    /** The subnet with that id, if this network has it. */
    public Optional<Subnet> subnet(SubnetId subnetId) {
        return subnets.stream().filter(s -> s.id().equals(subnetId)).findFirst();
    }

    /**
     * This network with a service endpoint enabled or disabled on one subnet (idempotent); empty when the
     * network has no such subnet.
     */
    public Optional<VirtualNetwork> withServiceEndpoint(SubnetId subnetId, String normalisedService, boolean enabled) {
        List<Subnet> updated = new ArrayList<>(subnets.size());
        boolean found = false;
        for (Subnet subnet : subnets) {
            if (subnet.id().equals(subnetId)) {
                updated.add(subnet.withServiceEndpoint(normalisedService, enabled));
                found = true;
            } else {
                updated.add(subnet);
            }
        }
        return found ? Optional.of(new VirtualNetwork(id, addressPrefixes, updated)) : Optional.empty();
    }
}
