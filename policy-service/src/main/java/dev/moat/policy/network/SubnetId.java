package dev.moat.policy.network;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full ARM id of a subnet,
 * {@code /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}}.
 *
 * <p>Compared case-insensitively, as ARM compares ids (Key Vault itself echoes virtual network rule ids in
 * lower case); {@link #value()} keeps the spelling the user gave.
 */
public final class SubnetId {

    /** What a well-formed id looks like, for messages. */
    public static final String FORMAT = VirtualNetworkId.FORMAT + "/subnets/{subnet}";

    private static final Pattern SHAPE = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworks/([^/]+)"
                    + "/subnets/([^/]+)",
            Pattern.CASE_INSENSITIVE);

    private final VirtualNetworkId network;
    private final String name;
    private final String value;
    private final String key;

    SubnetId(VirtualNetworkId network, String name) {
        this.network = network;
        this.name = name;
        this.value = network.value() + "/subnets/" + name;
        this.key = value.toLowerCase(Locale.ROOT);
    }

    /** Parses a full id; empty when it does not have the shape of {@link #FORMAT} or a name has illegal characters. */
    public static Optional<SubnetId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return VirtualNetworkId.of(m.group(1), m.group(2), m.group(3)).flatMap(n -> n.subnet(m.group(4)));
    }

    /** The network this subnet belongs to. */
    public VirtualNetworkId network() {
        return network;
    }

    /** The subnet's own name, the last segment of the id. */
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
        return o instanceof SubnetId other && key.equals(other.key);
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
