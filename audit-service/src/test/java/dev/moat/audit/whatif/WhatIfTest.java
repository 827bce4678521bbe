package dev.moat.audit.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.moat.audit.decision.AuthorizationType;

class WhatIfTest {

    private static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");
    private static final Verdict IP = new Verdict(true, AuthorizationType.IP_RULE, "203.0.113.7", null);
    private static final Verdict DENIED = new Verdict(false, AuthorizationType.DENIED, null, null);

    private static SeenOrigin seen(String address, String objectId, long requests, Instant lastSeen, Verdict before,
            String... operations) {
        return new SeenOrigin(new Origin(address, null, objectId, "app-" + objectId, null), requests, lastSeen,
                Set.of(operations), before);
    }

    @Test
    void sorts_origins_into_newly_denied_newly_allowed_and_unchanged() {
        var result = WhatIf.compare(
                List.of(seen("203.0.113.7", "a", 5, T0, IP, "SecretGet"),
                        seen("198.51.100.1", "b", 2, T0, DENIED, "SecretList"),
                        seen("203.0.113.8", "c", 9, T0, IP, "SecretGet")),
                List.of(DENIED, new Verdict(true, AuthorizationType.IP_RULE, "198.51.100.0/24", null), IP));

        assertThat(result.origins()).isEqualTo(3);
        assertThat(result.unchanged()).isEqualTo(1);
        assertThat(result.newlyDenied()).singleElement().satisfies(e -> {
            assertThat(e.clientAddress()).isEqualTo("203.0.113.7");
            assertThat(e.requests()).isEqualTo(5);
            assertThat(e.before().rule()).isEqualTo("203.0.113.7");
        });
        assertThat(result.newlyAllowed()).singleElement().satisfies(e -> {
            assertThat(e.clientAddress()).isEqualTo("198.51.100.1");
            assertThat(e.after().rule()).isEqualTo("198.51.100.0/24");
            assertThat(e.operations()).containsExactly("SecretList");
        });
    }

    @Test
    void callers_from_one_address_with_the_same_fate_make_one_entry_with_every_caller_and_the_sum_of_requests() {
        var result = WhatIf.compare(
                List.of(seen("203.0.113.7", "a", 5, T0, IP, "SecretGet"),
                        seen("203.0.113.7", "b", 3, T0.plusSeconds(60), IP, "SecretSet")),
                List.of(DENIED, DENIED));

        assertThat(result.origins()).isEqualTo(2);
        assertThat(result.newlyDenied()).singleElement().satisfies(e -> {
            assertThat(e.callers()).containsExactly(new WhatIf.Caller("a", "app-a"), new WhatIf.Caller("b", "app-b"));
            assertThat(e.requests()).isEqualTo(8);
            assertThat(e.lastSeen()).isEqualTo(T0.plusSeconds(60));
            assertThat(e.operations()).containsExactly("SecretGet", "SecretSet");
        });
    }
}
