package dev.moat.policy.network;

import dev.moat.netaddr.Ipv4;
import inet.ipaddr.IPAddress;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A subnet of a virtual network: its id, its IPv4 prefix and the service endpoints enabled on it. Service
 * endpoint names are stored normalised (see {@link ServiceEndpoints#normalise(String)}).
 *
 * <p>Build it through {@code dev.moat.policy.rules.VirtualNetworkValidator} from user input; this record only
 * checks what would make it meaningless.
 */
public record Subnet(SubnetId id, IPAddress addressPrefix, Set<String> serviceEndpoints) {

    public Subnet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(addressPrefix, "addressPrefix");
        if (!addressPrefix.isIPv4() || !Ipv4.isNetworkRange(addressPrefix)) {
            throw new IllegalArgumentException("subnet prefix must be an IPv4 CIDR range: " + addressPrefix);
        }
        // Insertion order kept so that what an operator wrote reads back the same way.
        serviceEndpoints = Collections.unmodifiableSet(new LinkedHashSet<>(serviceEndpoints));
    }

    /** The subnet's name, the last segment of its id. */
    public String name() {
        return id.name();
    }

    /** Whether the {@code Microsoft.KeyVault} endpoint is enabled: only then can the subnet admit traffic. */
    public boolean hasKeyVaultEndpoint() {
        return serviceEndpoints.contains(ServiceEndpoints.KEY_VAULT);
    }

    /** This subnet with the (normalised) endpoint enabled or disabled; idempotent. */
    public Subnet withServiceEndpoint(String normalisedService, boolean enabled) {
        Set<String> endpoints = new LinkedHashSet<>(serviceEndpoints);
        if (enabled) {
            endpoints.add(normalisedService);
        } else {
            endpoints.remove(normalisedService);
        }
        return new Subnet(id, addressPrefix, endpoints);
    }
}
