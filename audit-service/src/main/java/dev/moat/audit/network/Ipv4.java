package dev.moat.audit.network;

import java.util.List;
import java.util.Optional;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;

/**
 * IPv4 addresses and ranges as audit-service compares them: as unsigned 32-bit numbers, so that an address
 * or CIDR filter is a range scan over an indexed column. Moat's firewall is IPv4 only.
 */
public final class Ipv4 {

    /** Strict dotted-quad parsing: no octal, hex, single-number or shortened forms. */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allow_inet_aton(false)
            .allowMask(false)
            .allowIPv6(false)
            .setRangeOptions(AddressStringParameters.RangeParameters.NO_RANGE)
            .toParams();

    /** Blocks an IP rule may not take (RFC 1918 and the other non-routable ranges of the firewall's validation). */
    private static final List<IPAddress> NON_PUBLIC = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
            "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4").stream()
            .map(cidr -> new IPAddressString(cidr).getAddress())
            .toList();

    /** An inclusive range of addresses, as numbers. */
    public record Range(long first, long last) {
    }

    private Ipv4() {
    }

    /** The number of a plain IPv4 address ({@code 203.0.113.7}); empty for anything else. */
    public static Optional<Long> number(String text) {
        return address(text).filter(a -> !a.isPrefixed()).map(IPv4Address::longValue);
    }

    /**
     * The range of an address or CIDR block ({@code 203.0.113.7}, {@code 203.0.113.0/24}); empty when the text is
     * neither. A block written with host bits set ({@code 203.0.113.7/24}) covers its whole network.
     */
    public static Optional<Range> range(String text) {
        return address(text).map(a -> {
            IPv4Address block = a.isPrefixed() ? a.toPrefixBlock() : a;
            return new Range(block.getLower().longValue(), block.getUpper().longValue());
        });
    }

    /** True for an address an IP rule may name: outside every private and non-routable block. */
    public static boolean isPublic(String text) {
        return address(text).filter(a -> !a.isPrefixed())
                .map(a -> NON_PUBLIC.stream().noneMatch(block -> block.contains(a)))
                .orElse(false);
    }

    private static Optional<IPv4Address> address(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            IPAddress address = new IPAddressString(text.trim(), STRICT).toAddress();
            return address.isIPv4() ? Optional.of(address.toIPv4()) : Optional.empty();
        } catch (AddressStringException e) {
            return Optional.empty();
        }
    }
}
