package dev.moat.vault.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ClientAuthenticationThrottleTest {

    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final ClientAuthenticationThrottle throttle = new ClientAuthenticationThrottle(20, 100, Duration.ofMinutes(1), clock);

    @Test
    void the_twenty_first_failure_of_a_client_from_one_address_within_a_minute_is_throttled() {
        for (int i = 0; i < 20; i++) {
            assertThat(throttle.retryAfter("client-a", "203.0.113.7")).as("attempt %d", i + 1).isEmpty();
            throttle.failed("client-a", "203.0.113.7");
            now = now.plusSeconds(1);
        }

        // the first failure (at 10:00:00) leaves the window at 10:01:00, 40 s from now
        assertThat(throttle.retryAfter("client-a", "203.0.113.7")).contains(Duration.ofSeconds(40));
        assertThat(throttle.retryAfter("CLIENT-A", "203.0.113.7")).isPresent();
    }

    @Test
    void failures_from_another_address_never_lock_a_client_out() {
        for (int i = 0; i < 50; i++) {
            throttle.failed("client-a", "198.51.100.66");
        }

        assertThat(throttle.retryAfter("client-a", "198.51.100.66")).isPresent();
        assertThat(throttle.retryAfter("client-a", "203.0.113.7")).isEmpty();
        assertThat(throttle.retryAfter("client-a", "2001:db8::7")).isEmpty();
    }

    @Test
    void one_address_spraying_many_client_ids_is_throttled_for_every_client_id() {
        for (int i = 0; i < 100; i++) {
            throttle.failed("client-" + i, "198.51.100.66");
        }

        assertThat(throttle.retryAfter("client-never-tried", "198.51.100.66")).isPresent();
        assertThat(throttle.retryAfter("client-never-tried", "203.0.113.7")).isEmpty();
    }

    @Test
    void the_window_slides_so_an_old_failure_stops_counting() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("client-a", "203.0.113.7");
        }
        assertThat(throttle.retryAfter("client-a", "203.0.113.7")).contains(Duration.ofMinutes(1));

        now = now.plus(Duration.ofMinutes(1));

        assertThat(throttle.retryAfter("client-a", "203.0.113.7")).isEmpty();
    }
}
