package dev.moat.vault.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OriginResolverTest {

    private final OriginResolver behindProxy = new OriginResolver(List.of("127.0.0.1", "10.0.0.0/24"));
    private final OriginResolver direct = new OriginResolver(List.of());

    static Stream<Arguments> origins() {
        return Stream.of(
                // peer, X-Forwarded-For headers, expected client
                Arguments.of("203.0.113.9", List.of(), "203.0.113.9"),
                Arguments.of("203.0.113.9", List.of("198.51.100.1"), "203.0.113.9"),
                Arguments.of("127.0.0.1", List.of(), "127.0.0.1"),
                Arguments.of("127.0.0.1", List.of("198.51.100.1"), "198.51.100.1"),
                Arguments.of("127.0.0.1", List.of("6.6.6.6, 198.51.100.1"), "198.51.100.1"),
                Arguments.of("127.0.0.1", List.of("6.6.6.6, 198.51.100.1, 10.0.0.5"), "198.51.100.1"),
                Arguments.of("127.0.0.1", List.of("6.6.6.6", "198.51.100.1"), "198.51.100.1"),
                Arguments.of("127.0.0.1", List.of("10.0.0.7, 10.0.0.5"), "10.0.0.7"),
                Arguments.of("::ffff:127.0.0.1", List.of("198.51.100.1"), "198.51.100.1"),
                Arguments.of("::ffff:203.0.113.9", List.of(), "203.0.113.9"),
                // an IPv6 client is a client like any other, in canonical text
                Arguments.of("127.0.0.1", List.of("2001:DB8:0::1"), "2001:db8::1"));
    }

    @ParameterizedTest(name = "peer {0}, XFF {1} -> {2}")
    @MethodSource("origins")
    void believes_forwarded_for_only_from_a_trusted_proxy_and_takes_the_right_most_untrusted_hop(String peer,
            List<String> forwardedFor, String client) {
        assertThat(behindProxy.clientAddress(peer, forwardedFor)).isEqualTo(client);
    }

    @Test
    void without_trusted_proxies_the_tcp_peer_is_the_client_whatever_the_headers_say() {
        assertThat(direct.clientAddress("127.0.0.1", List.of("198.51.100.1"))).isEqualTo("127.0.0.1");
    }

    @Test
    void refuses_a_malformed_forwarded_entry_from_a_trusted_proxy_instead_of_guessing() {
        assertThatThrownBy(() -> behindProxy.clientAddress("127.0.0.1", List.of("not-an-ip")))
                .isInstanceOf(OriginResolver.InvalidOriginException.class)
                .hasMessageContaining("not-an-ip");
        // the notation policy-service reads: no leading zeros (octal in some tools, decimal in others)
        assertThatThrownBy(() -> behindProxy.clientAddress("127.0.0.1", List.of("010.0.0.1")))
                .isInstanceOf(OriginResolver.InvalidOriginException.class)
                .hasMessageContaining("010.0.0.1");
    }

    private static final String SUBNET =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/apps";

    @Test
    void takes_the_source_subnet_only_from_a_trusted_proxy() {
        assertThat(behindProxy.resolve("127.0.0.1", List.of("198.51.100.1"), SUBNET))
                .isEqualTo(new OriginResolver.Origin("198.51.100.1", SUBNET));
        assertThat(behindProxy.resolve("203.0.113.9", List.of("198.51.100.1"), SUBNET))
                .isEqualTo(new OriginResolver.Origin("203.0.113.9", ""));
        assertThat(direct.resolve("127.0.0.1", List.of(), SUBNET))
                .isEqualTo(new OriginResolver.Origin("127.0.0.1", ""));
        assertThat(behindProxy.resolve("127.0.0.1", List.of(), null))
                .isEqualTo(new OriginResolver.Origin("127.0.0.1", ""));
    }

    @Test
    void refuses_a_source_subnet_from_a_trusted_proxy_that_is_not_a_subnet_id() {
        assertThatThrownBy(() -> behindProxy.resolve("127.0.0.1", List.of(), "apps"))
                .isInstanceOf(OriginResolver.InvalidOriginException.class)
                .hasMessageContaining("'apps'");
    }

    @Test
    void refuses_a_trusted_proxy_setting_that_is_not_an_address() {
        assertThatThrownBy(() -> new OriginResolver(List.of("nonsense")))
                .hasMessageContaining("nonsense");
    }
}
