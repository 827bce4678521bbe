package dev.moat.policy.network;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Full ARM id of a virtual network,
 * {@code /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{name}}.
 */
public final class VirtualNetworkId extends ArmId {

    /** What a well-formed id looks like, for messages. */
    public static final String FORMAT =
            "/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Network/virtualNetworks/{network}";

    private static final Pattern SHAPE = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworks/([^/]+)",
            Pattern.CASE_INSENSITIVE);

    private final String subscription;
    private final String resourceGroup;
    private final String name;

    private VirtualNetworkId(String subscription, String resourceGroup, String name) {
        super("/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Network/virtualNetworks/" + name);
        this.subscription = subscription;
        this.resourceGroup = resourceGroup;
        this.name = name;
    }

    /** Parses a full id; empty when it does not have the shape of {@link #FORMAT} or a name has illegal characters. */
    public static Optional<VirtualNetworkId> parse(String text) {
        return match(SHAPE, text).flatMap(m -> of(m.group(1), m.group(2), m.group(3)));
    }

    static Optional<VirtualNetworkId> of(String subscription, String resourceGroup, String name) {
        if (!ResourceNames.isSubscription(subscription) || !ResourceNames.isResourceGroup(resourceGroup)
                || !ResourceNames.isVirtualNetwork(name)) {
            return Optional.empty();
        }
        return Optional.of(new VirtualNetworkId(subscription, resourceGroup, name));
    }

    /** The id of the subnet {@code name} of this network; empty when the name has illegal characters. */
    public Optional<SubnetId> subnet(String subnetName) {
        return ResourceNames.isSubnet(subnetName) ? Optional.of(new SubnetId(this, subnetName)) : Optional.empty();
    }

    public String subscription() {
        return subscription;
    }

    public String resourceGroup() {
        return resourceGroup;
    }

    public String name() {
        return name;
    }
}
