package dev.moat.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressTest {

    private final ClientAddress addresses = new ClientAddress(List.of("127.0.0.1", "10.9.0.0/16"));

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "198.51.100.7 | none                      | 198.51.100.7", // no header: the peer
            "198.51.100.7 | 203.0.113.5               | 198.51.100.7", // an untrusted peer's header is ignored
            "127.0.0.1    | none                      | 127.0.0.1",
            "127.0.0.1    | 203.0.113.5               | 203.0.113.5",  // a trusted proxy names the browser
            "127.0.0.1    | 203.0.113.5, 10.9.1.1     | 203.0.113.5",  // the right-most entry that is not a proxy
            "127.0.0.1    | 1.2.3.4, 203.0.113.5      | 203.0.113.5",  // what a client wrote before its proxy is not believed
            "127.0.0.1    | not-an-address            | 127.0.0.1"})   // a malformed header: the peer
    void the_browser_is_the_peer_or_what_a_trusted_proxy_says(String peer, String forwarded, String expected) {
        assertThat(addresses.of(peer, forwarded)).isEqualTo(expected);
    }
}
