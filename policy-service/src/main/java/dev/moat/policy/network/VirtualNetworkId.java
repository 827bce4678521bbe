package dev.moat.policy.network;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full ARM id of a virtual network,
 * {@code /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{name}}.
 *
 * <p>ARM compares resource ids case-insensitively, so equality does too; {@link #value()} keeps the names as
 * the user wrote them (with the fixed segments in their canonical spelling) for display.
 */
public final class VirtualNetworkId {

    /** What a well-formed id looks like, for messages. */
    public static final String FORMAT =
            "/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Network/virtualNetworks/{network}";

    private static final Pattern SHAPE = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworks/([^/]+)",
            Pattern.CASE_INSENSITIVE);

    private final String subscription;
    private final String resourceGroup;
    private final String name;
    private final String value;
    private final String key;

    private VirtualNetworkId(String subscription, String resourceGroup, String name) {
        this.subscription = subscription;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.value = "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Network/virtualNetworks/" + name;
        this.key = value.toLowerCase(Locale.ROOT);
    }

    /** Parses a full id; empty when it does not have the shape of {@link #FORMAT} or a name has illegal characters. */
    public static Optional<VirtualNetworkId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return of(m.group(1), m.group(2), m.group(3));
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

    /** The id for display, names as written. */
    public String value() {
        return value;
    }

    /** The id in lower case: what equality and lookups use. */
    public String key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VirtualNetworkId other && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
