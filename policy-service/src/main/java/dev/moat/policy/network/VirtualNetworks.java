package dev.moat.policy.network;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All virtual networks known to policy-service, indexed by id, immutable. Validation of virtual network rules
 * looks subnets up here, and the decision snapshot is compiled from it.
 *
 * <p>A network or subnet may be deleted while virtual network rules still name it: that is allowed (ARM
 * allows it too, and refusing would make a network impossible to delete without touching every vault). Such
 * rules simply stop matching until a subnet with that id and the {@code Microsoft.KeyVault} endpoint exists
 * again.
 */
public final class VirtualNetworks {

    private static final VirtualNetworks EMPTY = new VirtualNetworks(Map.of());

    private final Map<VirtualNetworkId, VirtualNetwork> byId;

    private VirtualNetworks(Map<VirtualNetworkId, VirtualNetwork> byId) {
        this.byId = byId;
    }

    public static VirtualNetworks empty() {
        return EMPTY;
    }

    /** Indexes the networks, ordered by id; refuses two networks with the same (case-insensitive) id. */
    public static VirtualNetworks of(Collection<VirtualNetwork> networks) {
        Map<VirtualNetworkId, VirtualNetwork> byId = new LinkedHashMap<>();
        networks.stream()
                .sorted((a, b) -> a.id().key().compareTo(b.id().key()))
                .forEach(n -> {
                    if (byId.putIfAbsent(n.id(), n) != null) {
                        throw new IllegalArgumentException("two virtual networks with id " + n.id());
                    }
                });
        return new VirtualNetworks(Collections.unmodifiableMap(byId));
    }

    public static VirtualNetworks of(VirtualNetwork... networks) {
        return of(List.of(networks));
    }

    public Optional<VirtualNetwork> find(VirtualNetworkId id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<Subnet> findSubnet(SubnetId id) {
        return find(id.network()).flatMap(n -> n.subnet(id));
    }

    /** These networks with one added or replaced. */
    public VirtualNetworks with(VirtualNetwork network) {
        Map<VirtualNetworkId, VirtualNetwork> copy = new LinkedHashMap<>(byId);
        copy.put(network.id(), network);
        return of(copy.values());
    }

    /** These networks without the given one (unchanged when absent). */
    public VirtualNetworks without(VirtualNetworkId id) {
        Map<VirtualNetworkId, VirtualNetwork> copy = new LinkedHashMap<>(byId);
        copy.remove(id);
        return of(copy.values());
    }

    /** All networks, ordered by id. */
    public Collection<VirtualNetwork> all() {
        return byId.values();
    }
}
