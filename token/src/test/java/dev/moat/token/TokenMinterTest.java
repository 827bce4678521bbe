package dev.moat.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.token.Verification.Verified;

/**
 * A service's own tokens, as the receiving service checks them: signed by the configured key for its issuer and the
 * receiver's audience, with the caller's roles and claims, renewed at half-life; a key that is not PKCS#8 is refused
 * when read, naming the file.
 */
class TokenMinterTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final String ISSUER = "moat-internal";
    private static final String AUDIENCE = "policy-service";

    private static TestKey key;

    @TempDir
    static Path dir;

    private static Path pem;

    @BeforeAll
    static void key() throws IOException {
        key = TestKey.generate("service");
        pem = Files.writeString(dir.resolve("service-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.jwk().getPrivateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    private final TestClock clock = new TestClock(T0);
    private final TokenMinter minter = new TokenMinter(pem, "moat.test.signing-key-location", ISSUER, AUDIENCE, clock);
    private final TokenVerifier verifier = new TokenVerifier(Duration.ZERO, TokenVerifier.DEFAULT_CACHE_SIZE, clock);
    private final Expectation receiver = new Expectation(
            List.of(new TrustedIssuer("internal", ISSUER, KeySet.of(List.of(key.jwk())))), Set.of(AUDIENCE));

    private Claims verified(String token) {
        Verification result = verifier.verify(token, receiver);
        assertThat(result).isInstanceOf(Verified.class);
        return ((Verified) result).claims();
    }

    @Test
    void mints_a_token_the_receiver_verifies_with_the_roles_and_claims_given() {
        Map<String, String> actor = new LinkedHashMap<>();
        actor.put("tid", "tenant-1");
        actor.put("oid", "user-1");
        actor.put("appid", "portal");

        Claims claims = verified(minter.mint("user-1", Duration.ofMinutes(2), List.of("Policy.Admin"), actor));

        assertThat(claims.issuer()).isEqualTo(ISSUER);
        assertThat(claims.audiences()).containsExactly(AUDIENCE);
        assertThat(claims.roles()).containsExactly("Policy.Admin");
        assertThat(claims.tenantId()).isEqualTo("tenant-1");
        assertThat(claims.objectId()).isEqualTo("user-1");
        assertThat(claims.applicationId()).isEqualTo("portal");
        assertThat(claims.notBefore()).isEqualTo(T0.minusSeconds(30));
        assertThat(claims.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(claims.text("jti")).isPresent();
    }

    @Test
    void a_service_token_names_the_service_and_is_renewed_once_half_its_lifetime_has_passed() {
        Supplier<String> own = minter.renewing("audit-service", Duration.ofMinutes(10), List.of("Policy.Evaluate"));

        String first = own.get();
        Claims claims = verified(first);
        assertThat(claims.objectId()).isEqualTo("audit-service");
        assertThat(claims.applicationId()).isEqualTo("audit-service");
        assertThat(claims.roles()).containsExactly("Policy.Evaluate");

        clock.now = T0.plus(Duration.ofMinutes(5));
        assertThat(own.get()).isSameAs(first);

        clock.now = T0.plus(Duration.ofMinutes(5)).plusSeconds(1);
        String renewed = own.get();
        assertThat(renewed).isNotEqualTo(first);
        assertThat(verified(renewed).expiresAt()).isEqualTo(clock.now.plus(Duration.ofMinutes(10)));
    }

    @Test
    void refuses_a_pkcs1_key_naming_the_file() throws IOException {
        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> new TokenMinter(pkcs1, "moat.test.signing-key-location", ISSUER, AUDIENCE, clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(pkcs1.toString()).hasMessageContaining("PKCS#8");
    }

    @Test
    void a_missing_key_file_is_named_with_its_setting() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> new TokenMinter(missing, "moat.test.signing-key-location", ISSUER, AUDIENCE, clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("moat.test.signing-key-location").hasMessageContaining(missing.toString());
    }
}
