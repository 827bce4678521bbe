package dev.moat.policy.network;

import static dev.moat.policy.network.NetworkFixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "01.2.3.4", "0x1.2.3.4", "1.2.3.*", "1.2.3.4-9", "1.2.3.0/255.255.255.0", "16909060", ""})
    void refuses_every_notation_but_dotted_quads_and_cidr(String text) {
        assertThat(Ipv4.parse(text)).isEmpty();
    }

    @Test
    void parses_addresses_and_ranges_and_still_recognises_ipv6() {
        assertThat(Ipv4.parse(" 124.56.78.91 ")).map(a -> a.toCanonicalString()).contains("124.56.78.91");
        assertThat(Ipv4.parse("124.56.78.0/24")).map(Ipv4::isNetworkRange).contains(true);
        assertThat(Ipv4.parse("124.56.78.9/24")).map(Ipv4::networkOf).contains("124.56.78.0/24");
        assertThat(Ipv4.parse("2001:db8::1")).map(a -> a.isIPv6()).contains(true);
    }

    @Test
    void knows_the_edges_of_the_reserved_blocks() {
        assertThat(ReservedBlocks.isPublic(Ipv4.first(ip("9.255.255.255")))).isTrue();
        assertThat(ReservedBlocks.isPublic(Ipv4.first(ip("10.0.0.0")))).isFalse();
        assertThat(ReservedBlocks.isPublic(Ipv4.first(ip("10.255.255.255")))).isFalse();
        assertThat(ReservedBlocks.isPublic(Ipv4.first(ip("11.0.0.0")))).isTrue();
        assertThat(ReservedBlocks.isPublic(Ipv4.first(ip("223.255.255.255")))).isTrue();
        assertThat(ReservedBlocks.isPublic(Ipv4.first(ip("255.255.255.255")))).isFalse();
        assertThat(ReservedBlocks.overlapping(ip("0.0.0.0/0"))).hasSameSizeAs(ReservedBlocks.ALL);
        assertThat(ReservedBlocks.overlapping(ip("172.0.0.0/8"))).extracting(Object::toString)
                .containsExactly("172.16.0.0/12 (private network, RFC 1918)");
    }
}
