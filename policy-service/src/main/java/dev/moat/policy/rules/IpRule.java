package dev.moat.policy.rules;

import dev.moat.netaddr.Ipv4;
import inet.ipaddr.IPAddress;
import java.util.Objects;

/**
 * One IP rule: a public IPv4 address ({@code 124.56.78.91}) or CIDR range ({@code 124.56.78.0/24}).
 *
 * @param value   the canonical text of the rule, what is stored and shown
 * @param address the parsed address or range, what requests are matched against
 */
public record IpRule(String value, IPAddress address) {

    public IpRule {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(address, "address");
        if (!address.isIPv4()) {
            throw new IllegalArgumentException("IP rules are IPv4 only: " + value);
        }
    }

    /** A rule for an already validated address or range; the value is its canonical text. */
    public static IpRule of(IPAddress address) {
        return new IpRule(address.toCanonicalString(), address);
    }

    /** First address covered, as an unsigned 32-bit number. */
    public long first() {
        return Ipv4.first(address);
    }

    /** Last address covered, as an unsigned 32-bit number. */
    public long last() {
        return Ipv4.last(address);
    }
}
