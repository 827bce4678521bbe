package dev.moat.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The issuer's keys: fetched on first use, again for an unknown kid at most once per 30 s (1 s after a failure). */
class JsonWebKeysTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static String first;
    private static String firstAndSecond;

    @BeforeAll
    static void keys() {
        TestKey k1 = TestKey.generate("k1");
        TestKey k2 = TestKey.generate("k2");
        first = TestKey.jwks(k1);
        firstAndSecond = TestKey.jwks(k1, k2);
    }

    private final TestJwks issuer = new TestJwks();
    private final TestClock clock = new TestClock(T0);
    private final JsonWebKeys keys = new JsonWebKeys(issuer, Duration.ofSeconds(30), clock);

    private static List<String> kids(List<PublicJsonWebKey> keys) {
        return keys.stream().map(PublicJsonWebKey::getKeyId).toList();
    }

    @Test
    void nothing_is_fetched_until_a_token_needs_a_key_then_the_keys_are_cached() throws Exception {
        issuer.document = first;
        assertThat(issuer.fetches).isZero();

        assertThat(kids(keys.candidates("k1"))).containsExactly("k1");
        assertThat(kids(keys.candidates("k1"))).containsExactly("k1");
        assertThat(issuer.fetches).isEqualTo(1);
    }

    @Test
    void an_unknown_kid_fetches_the_keys_again_at_most_once_per_30_seconds() throws Exception {
        issuer.document = first;
        keys.candidates("k1");
        issuer.document = firstAndSecond; // the issuer rotates

        clock.now = T0.plusSeconds(29);
        assertThat(keys.candidates("k2")).isEmpty();
        assertThat(issuer.fetches).isEqualTo(1);

        clock.now = T0.plusSeconds(30);
        assertThat(kids(keys.candidates("k2"))).containsExactly("k2");
        assertThat(issuer.fetches).isEqualTo(2);

        clock.now = T0.plusSeconds(45);
        assertThat(keys.candidates("forged")).isEmpty();
        assertThat(keys.candidates("forged-again")).isEmpty();
        assertThat(issuer.fetches).isEqualTo(2);
    }

    @Test
    void a_token_without_kid_may_be_verified_with_every_key() throws Exception {
        issuer.document = firstAndSecond;

        assertThat(kids(keys.candidates(null))).containsExactly("k1", "k2");
    }

    @Test
    void an_issuer_that_is_not_up_yet_is_asked_again_a_second_later() throws Exception {
        assertThatThrownBy(() -> keys.candidates("k1")).isInstanceOf(KeysUnavailableException.class);
        clock.now = T0.plusMillis(999);
        assertThatThrownBy(() -> keys.candidates("k1")).isInstanceOf(KeysUnavailableException.class);
        assertThat(issuer.fetches).isEqualTo(1);

        issuer.document = first;
        clock.now = T0.plusSeconds(1);
        assertThat(kids(keys.candidates("k1"))).containsExactly("k1");
        assertThat(issuer.fetches).isEqualTo(2);
    }

    @Test
    void a_document_that_is_not_a_jwks_is_a_failed_fetch() {
        issuer.document = "<html>login</html>";

        assertThatThrownBy(() -> keys.candidates("k1")).isInstanceOf(KeysUnavailableException.class)
                .hasMessageContaining("could not be fetched");
    }
}
