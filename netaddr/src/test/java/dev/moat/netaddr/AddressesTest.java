package dev.moat.netaddr;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

    private static IPAddress ip(String text) {
        return Ipv4.parse(text).orElseThrow(() -> new IllegalArgumentException(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "01.2.3.4", "0x1.2.3.4", "1.2.3.*", "1.2.3.4-9", "1.2.3.0/255.255.255.0", "16909060",
            "300.1.1.1", "host.example", ""})
    void refuses_every_notation_but_dotted_quads_and_cidr(String text) {
        assertThat(Ipv4.parse(text)).isEmpty();
        assertThat(Ipv4.number(text)).isEmpty();
    }

    @Test
    void parses_addresses_and_ranges_and_still_recognises_ipv6() {
        assertThat(Ipv4.parse(" 124.56.78.91 ")).map(IPAddress::toCanonicalString).contains("124.56.78.91");
        assertThat(Ipv4.parse("124.56.78.0/24")).map(Ipv4::isNetworkRange).contains(true);
        assertThat(Ipv4.parse("124.56.78.9/24")).map(Ipv4::isNetworkRange).contains(false);
        assertThat(Ipv4.parse("124.56.78.9/24")).map(Ipv4::networkOf).contains("124.56.78.0/24");
        assertThat(Ipv4.parse("2001:db8::1")).map(IPAddress::isIPv6).contains(true);
    }

    @Test
    void a_client_address_is_one_address_and_an_ipv4_mapped_one_is_ipv4() {
        assertThat(Ipv4.parseClient("::ffff:203.0.113.7")).map(IPAddress::toCanonicalString).contains("203.0.113.7");
        assertThat(Ipv4.parseClient("2001:db8::1")).map(IPAddress::toCanonicalString).contains("2001:db8::1");
        assertThat(Ipv4.parseClient("203.0.113.0/24")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0, 0", "203.0.113.7, 3405803783", "255.255.255.255, 4294967295", "::ffff:0.0.0.1, 1"})
    void a_single_ipv4_address_has_its_unsigned_number(String address, long number) {
        assertThat(Ipv4.number(address)).contains(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4/24", "1.2.3.0/24", "2001:db8::1"})
    void ranges_and_ipv6_have_no_number(String text) {
        assertThat(Ipv4.number(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.7", "8.8.8.8", "100.63.255.255", "172.32.0.1", "9.255.255.255", "11.0.0.0",
            "198.17.255.255", "198.20.0.0", "223.255.255.255"})
    void a_routable_address_is_public(String address) {
        assertThat(ReservedBlocks.isPublic(address)).isTrue();
        assertThat(ReservedBlocks.isPublic(Ipv4.first(ip(address)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.255.255.255", "172.16.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1",
            "169.254.1.1", "0.1.2.3", "198.18.0.0", "198.19.255.255", "224.0.0.1", "240.0.0.1", "255.255.255.255"})
    void a_private_or_non_routable_address_is_not_public(String address) {
        assertThat(ReservedBlocks.isPublic(address)).isFalse();
        assertThat(ReservedBlocks.isPublic(Ipv4.first(ip(address)))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "not-an-address", "8.8.8.0/24"})
    void only_a_single_ipv4_address_can_be_public(String text) {
        assertThat(ReservedBlocks.isPublic(text)).isFalse();
    }

    @Test
    void lists_the_blocks_a_range_overlaps_in_address_order() {
        assertThat(ReservedBlocks.overlapping(ip("0.0.0.0/0"))).hasSameSizeAs(ReservedBlocks.ALL).hasSize(10);
        assertThat(ReservedBlocks.overlapping(ip("172.0.0.0/8"))).extracting(Object::toString)
                .containsExactly("172.16.0.0/12 (private network, RFC 1918)");
        assertThat(ReservedBlocks.overlapping(ip("198.0.0.0/8"))).extracting(Object::toString)
                .containsExactly("198.18.0.0/15 (network benchmark tests, RFC 2544)");
    }
}
