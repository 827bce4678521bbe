package dev.moat.policy.rules;

import dev.moat.netaddr.Ipv4;
import inet.ipaddr.IPAddress;
import java.util.List;

/** The address checks shared by IP rules and virtual network prefixes, so both report them the same way. */
final class AddressChecks {

    private AddressChecks() {
    }

    /**
     * Parses an IPv4 address or range and checks host bits; adds a violation and returns null when it fails.
     */
    static IPAddress ipv4(String field, String text, List<Violation> out) {
        if (text == null || text.isBlank()) {
            out.add(new Violation(field, text, ViolationCode.REQUIRED, field + " is required: an IPv4 address or CIDR range"));
            return null;
        }
        IPAddress address = Ipv4.parse(text).orElse(null);
        if (address == null) {
            out.add(new Violation(field, text, ViolationCode.MALFORMED_ADDRESS, "'" + text
                    + "' is not an IPv4 address or CIDR range in dotted notation (for example 124.56.78.91 or 124.56.78.0/24)"));
            return null;
        }
        if (!address.isIPv4()) {
            out.add(new Violation(field, text, ViolationCode.IPV6_NOT_SUPPORTED,
                    "'" + text + "' is an IPv6 address: only IPv4 is supported"));
            return null;
        }
        return address;
    }

    /** Adds a violation and returns false when a prefixed value has bits set after its prefix. */
    static boolean hostBitsClear(String field, String text, IPAddress address, List<Violation> out) {
        if (address.isPrefixed() && !Ipv4.isNetworkRange(address)) {
            out.add(new Violation(field, text, ViolationCode.HOST_BITS_SET, "'" + text + "' has host bits set after the /"
                    + address.getNetworkPrefixLength() + " prefix: did you mean " + Ipv4.networkOf(address) + "?"));
            return false;
        }
        return true;
    }
}
