package dev.moat.audit.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BrokerProbeTest {

    @Test
    void a_broker_that_does_not_answer_is_unreachable_within_the_timeout() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        BrokerProbe probe = new BrokerProbe(Map.of("bootstrap.servers", "127.0.0.1:" + closedPort),
                Duration.ofMillis(500), Duration.ZERO);
        try {
            long started = System.nanoTime();
            BrokerProbe.Result result = probe.probe();

            assertThat(result.reachable()).isFalse();
            assertThat(result.problem()).isNotBlank();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            probe.close();
        }
    }
}
