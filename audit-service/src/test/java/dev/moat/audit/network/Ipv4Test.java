package dev.moat.audit.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4Test {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, 0",
            "203.0.113.7, 3405803783",
            "255.255.255.255, 4294967295",
    })
    void a_plain_address_has_its_unsigned_number(String address, long number) {
        assertThat(Ipv4.number(address)).contains(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4/24", "300.1.1.1", "2001:db8::1", "0x7f.1", "1.2.*.4", "host.example"})
    void anything_but_a_dotted_quad_has_no_number(String text) {
        assertThat(Ipv4.number(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7, 203.0.113.7",
            "203.0.113.0/24, 203.0.113.0, 203.0.113.255",
            "203.0.113.77/24, 203.0.113.0, 203.0.113.255",
            "0.0.0.0/0, 0.0.0.0, 255.255.255.255",
    })
    void a_cidr_range_covers_its_whole_network(String text, String first, String last) {
        assertThat(Ipv4.range(text)).contains(new Ipv4.Range(Ipv4.number(first).orElseThrow(), Ipv4.number(last).orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.7", "8.8.8.8", "100.63.255.255", "172.32.0.1"})
    void a_routable_address_is_public(String address) {
        assertThat(Ipv4.isPublic(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.4", "172.16.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "169.254.1.1",
            "0.1.2.3", "224.0.0.1", "240.0.0.1", "not-an-address"})
    void a_private_or_non_routable_address_is_not_public(String address) {
        assertThat(Ipv4.isPublic(address)).isFalse();
    }
}
