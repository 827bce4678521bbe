package dev.moat.netaddr;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import java.util.Optional;

/**
 * The one place where text becomes an IP address. Everything that parses an address or a range goes through
 * {@link #parse(String)} so that every field of every service accepts exactly the same notation.
 */
public final class Ipv4 {

    /**
     * Dotted-quad addresses and CIDR ranges only. The library's defaults also accept inet_aton shorthands
     * ({@code 1.2.3}), octal/hex segments, wildcards ({@code 1.2.*.*}), dash ranges and masks; a firewall rule
     * written like that is far more likely a typo than an intention, and leading zeros are ambiguous (octal in
     * some tools, decimal in others), so all of them are refused. IPv6 is still parsed, so that the caller can
     * say "only IPv4 is supported" rather than "malformed", and so that an IPv6 client can be decided.
     */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allowMask(false)
            .allowPrefixOnly(false)
            .allowWildcardedSeparator(false)
            .setRangeOptions(RangeParameters.NO_RANGE)
            .allow_inet_aton(false)
            .getIPv4AddressParametersBuilder()
                .allowLeadingZeros(false)
                .allowBinary(false)
                .getParentBuilder()
            .toParams();

    /** An inclusive range of IPv4 addresses as unsigned 32-bit numbers. */
    public record Range(long first, long last) {

        /** The range an IPv4 address (one address) or CIDR block covers. */
        public static Range of(IPAddress ipv4) {
            return new Range(Ipv4.first(ipv4), Ipv4.last(ipv4));
        }
    }

    private Ipv4() {
    }

    /**
     * Parses an address ({@code 203.0.113.7}) or a CIDR range ({@code 203.0.113.0/24}).
     *
     * @return the address (possibly IPv6: callers decide what to do with it), or empty when the text is not
     *         an address in strict notation
     */
    public static Optional<IPAddress> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new IPAddressString(text.strip(), STRICT).toAddress());
        } catch (AddressStringException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses one client address (no prefix). An IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}, as dual-stack
     * sockets report IPv4 peers) is the IPv4 address it carries; any other IPv6 address stays IPv6.
     *
     * @return empty when the text is not a single address in strict notation
     */
    public static Optional<IPAddress> parseClient(String text) {
        return parse(text).filter(a -> !a.isPrefixed()).map(a -> a.isIPv6() && a.isIPv4Convertible() ? a.toIPv4() : a);
    }

    /** The number of a single IPv4 address ({@code 203.0.113.7}); empty for anything else, IPv6 included. */
    public static Optional<Long> number(String text) {
        return parseClient(text).filter(IPAddress::isIPv4).map(a -> ((IPv4Address) a).longValue());
    }

    /** Whether the value is a CIDR range whose host bits are all zero ({@code 1.2.3.0/24}, not {@code 1.2.3.4/24}). */
    public static boolean isNetworkRange(IPAddress address) {
        return address.isPrefixed() && address.isPrefixBlock();
    }

    /** The range the user most likely meant when host bits are set: {@code 1.2.3.4/24} gives {@code 1.2.3.0/24}. */
    public static String networkOf(IPAddress prefixed) {
        return prefixed.toZeroHost().toCanonicalString();
    }

    /** First address of an IPv4 address or range, as an unsigned 32-bit number. */
    public static long first(IPAddress ipv4) {
        return ((IPv4Address) ipv4.getLower()).longValue();
    }

    /** Last address of an IPv4 address or range, as an unsigned 32-bit number. */
    public static long last(IPAddress ipv4) {
        return ((IPv4Address) ipv4.getUpper()).longValue();
    }
}
