package dev.moat.netaddr;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * IPv4 blocks that are not publicly routable. IP rules may not touch them (a range that contains or overlaps one
 * is refused too), an address inside them never matches an IP rule (such clients can only come in through a
 * virtual network rule), and the audit diagnosis never proposes an IP rule for one.
 */
public final class ReservedBlocks {

    /** One reserved block and why it is reserved. */
    public record Block(IPAddress range, String description) {

        /** How messages name it: {@code 10.0.0.0/8 (private network, RFC 1918)}. */
        @Override
        public String toString() {
            return range.toCanonicalString() + " (" + description + ")";
        }
    }

    /** Ordered by address, so that messages list overlaps in a stable order. */
    public static final List<Block> ALL = List.of(
            block("0.0.0.0/8", "\"this network\", RFC 1122"),
            block("10.0.0.0/8", "private network, RFC 1918"),
            block("100.64.0.0/10", "shared address space for carrier-grade NAT, RFC 6598"),
            block("127.0.0.0/8", "loopback, RFC 1122"),
            block("169.254.0.0/16", "link-local, RFC 3927"),
            block("172.16.0.0/12", "private network, RFC 1918"),
            block("192.168.0.0/16", "private network, RFC 1918"),
            block("198.18.0.0/15", "network benchmark tests, RFC 2544"),
            block("224.0.0.0/4", "multicast, RFC 5771"),
            block("240.0.0.0/4", "reserved for future use and broadcast, RFC 1112"));

    // The same blocks as unsigned bounds, for the per-request check on the fast path.
    private static final long[] FIRST = ALL.stream().mapToLong(b -> Ipv4.first(b.range())).toArray();
    private static final long[] LAST = ALL.stream().mapToLong(b -> Ipv4.last(b.range())).toArray();

    private ReservedBlocks() {
    }

    /** The reserved blocks that share at least one address with the given IPv4 address or range. */
    public static List<Block> overlapping(IPAddress ipv4) {
        return ALL.stream().filter(b -> b.range().overlaps(ipv4)).collect(Collectors.toUnmodifiableList());
    }

    /** Whether an IPv4 address (unsigned 32-bit value) lies outside every reserved block. */
    public static boolean isPublic(long address) {
        for (int i = 0; i < FIRST.length; i++) {
            if (address >= FIRST[i] && address <= LAST[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the text is a single IPv4 address outside every reserved block (false for IPv6 and ranges). */
    public static boolean isPublic(String address) {
        return Ipv4.number(address).map(ReservedBlocks::isPublic).orElse(false);
    }

    private static Block block(String cidr, String description) {
        return new Block(Ipv4.parse(cidr).orElseThrow(), description);
    }
}
