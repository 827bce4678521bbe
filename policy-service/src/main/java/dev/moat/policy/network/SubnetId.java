package dev.moat.policy.network;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Full ARM id of a subnet,
 * {@code /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}}.
 */
public final class SubnetId extends ArmId {

    /** What a well-formed id looks like, for messages. */
    public static final String FORMAT = VirtualNetworkId.FORMAT + "/subnets/{subnet}";

    private static final Pattern SHAPE = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworks/([^/]+)"
                    + "/subnets/([^/]+)",
            Pattern.CASE_INSENSITIVE);

    private final VirtualNetworkId network;
    private final String name;

    SubnetId(VirtualNetworkId network, String name) {
        super(network.value() + "/subnets/" + name);
        this.network = network;
        this.name = name;
    }

    /** Parses a full id; empty when it does not have the shape of {@link #FORMAT} or a name has illegal characters. */
    public static Optional<SubnetId> parse(String text) {
        return match(SHAPE, text).flatMap(m -> VirtualNetworkId.of(m.group(1), m.group(2), m.group(3))
                .flatMap(n -> n.subnet(m.group(4))));
    }

    /** The network this subnet belongs to. */
    public VirtualNetworkId network() {
        return network;
    }

    /** The subnet's own name, the last segment of the id. */
    public String name() {
        return name;
    }
}
