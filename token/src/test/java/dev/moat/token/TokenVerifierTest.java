package dev.moat.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.token.Verification.Reason;
import dev.moat.token.Verification.Refused;
import dev.moat.token.Verification.Verified;

/**
 * The one token check: a table of refused tokens, one row per rule, the tokens it accepts, key rotation through the
 * issuer's JWKS, and the cache of verified tokens.
 */
class TokenVerifierTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(60);

    private static TestKey trusted;
    private static TestKey stranger;
    private static TestKey rotated;

    @BeforeAll
    static void keys() {
        trusted = TestKey.generate("k1");
        stranger = TestKey.generate("k1"); // another key under the trusted kid
        rotated = TestKey.generate("k2");
    }

    private final TestClock clock = new TestClock(T0);
    private final TestJwks jwks = new TestJwks();
    private int keyLookups;
    private final KeySet keys = countingLookups(new JsonWebKeys(jwks, Duration.ofSeconds(30), clock));
    private final TrustedIssuer issuer = new TrustedIssuer("test", TestKey.ISSUER, keys);
    private final Expectation management = new Expectation(List.of(issuer),
            Expectation.withAndWithoutSlash(TestKey.AUDIENCE));
    private final TokenVerifier verifier = new TokenVerifier(SKEW, TokenVerifier.DEFAULT_CACHE_SIZE, clock);

    {
        jwks.document = TestKey.jwks(trusted);
    }

    private KeySet countingLookups(KeySet delegate) {
        return kid -> {
            keyLookups++;
            return delegate.candidates(kid);
        };
    }

    private static JwtClaims claims(Consumer<JwtClaims> edit) {
        return TestKey.claims(T0, edit);
    }

    private static JwtClaims valid() {
        return claims(c -> {
        });
    }

    static Stream<Arguments> refusedTokens() {
        return Stream.of(
                Arguments.of("signed by another key under the trusted kid",
                        (Function<Void, String>) v -> stranger.sign(valid()), Reason.BAD_SIGNATURE),
                Arguments.of("signed by a key the issuer does not publish",
                        (Function<Void, String>) v -> stranger.signAs(valid(), "rogue"), Reason.UNKNOWN_KEY),
                Arguments.of("from another issuer", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.setIssuer("https://evil.example/" + TestKey.TENANT + "/v2.0"))),
                        Reason.UNTRUSTED_ISSUER),
                Arguments.of("whose iss names another tenant than its tid", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.setIssuer("https://login.example.com/other-tenant/v2.0"))),
                        Reason.UNTRUSTED_ISSUER),
                Arguments.of("without tid, for an issuer per tenant", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.unsetClaim("tid"))), Reason.UNTRUSTED_ISSUER),
                Arguments.of("for another audience", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.setAudience("https://vault.localhost:8443"))), Reason.WRONG_AUDIENCE),
                Arguments.of("without an audience", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.unsetClaim("aud"))), Reason.WRONG_AUDIENCE),
                Arguments.of("expired beyond the clock skew", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.setExpirationTime(NumericDate.fromSeconds(T0.minusSeconds(61).getEpochSecond())))),
                        Reason.EXPIRED),
                Arguments.of("not yet valid beyond the clock skew", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.setNotBefore(NumericDate.fromSeconds(T0.plusSeconds(61).getEpochSecond())))),
                        Reason.NOT_YET_VALID),
                Arguments.of("unsigned (alg none)", (Function<Void, String>) v -> TestKey.unsigned(valid()),
                        Reason.NOT_RS256),
                Arguments.of("HS256, keyed with the issuer's public key",
                        (Function<Void, String>) v -> trusted.hs256WithThePublicKey(valid()), Reason.NOT_RS256),
                Arguments.of("without exp", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.unsetClaim("exp"))), Reason.MALFORMED),
                Arguments.of("without iss", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.unsetClaim("iss"))), Reason.MALFORMED),
                Arguments.of("that is not a JWT", (Function<Void, String>) v -> "not-a-jwt", Reason.MALFORMED),
                Arguments.of("whose payload was changed after signing", (Function<Void, String>) v -> tampered(),
                        Reason.BAD_SIGNATURE));
    }

    /** A valid token whose claims were swapped for an administrator's, keeping the signature. */
    private static String tampered() {
        String[] parts = trusted.sign(valid()).split("\\.");
        String other = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims(c -> c.setClaim("oid", "admin")).toJson().getBytes());
        return parts[0] + "." + other + "." + parts[2];
    }

    @ParameterizedTest(name = "a token {0} is refused: {2}")
    @MethodSource("refusedTokens")
    void refuses(String what, Function<Void, String> token, Reason reason) {
        String text = token.apply(null);

        Verification result = verifier.verify(text, management);

        assertThat(result).isInstanceOf(Refused.class);
        assertThat(((Refused) result).reason()).isEqualTo(reason);
        assertThat(((Refused) result).message()).isNotBlank().doesNotContain(text);
    }

    static Stream<Arguments> acceptedTokens() {
        return Stream.of(
                Arguments.of("valid", (Function<Void, String>) v -> trusted.sign(valid())),
                Arguments.of("expired within the clock skew", (Function<Void, String>) v -> trusted.sign(claims(c -> {
                    c.setIssuedAt(NumericDate.fromSeconds(T0.minusSeconds(600).getEpochSecond()));
                    c.setNotBefore(NumericDate.fromSeconds(T0.minusSeconds(600).getEpochSecond()));
                    c.setExpirationTime(NumericDate.fromSeconds(T0.minusSeconds(59).getEpochSecond()));
                }))),
                Arguments.of("not yet valid within the clock skew", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.setNotBefore(NumericDate.fromSeconds(T0.plusSeconds(59).getEpochSecond()))))),
                Arguments.of("for the audience with a trailing slash", (Function<Void, String>) v -> trusted.sign(
                        claims(c -> c.setAudience(TestKey.AUDIENCE + "/")))),
                Arguments.of("for several audiences, one of them expected", (Function<Void, String>) v ->
                        trusted.sign(claims(c -> c.setAudience("https://elsewhere", TestKey.AUDIENCE)))),
                Arguments.of("without kid", (Function<Void, String>) v -> trusted.signAs(valid(), null)));
    }

    @ParameterizedTest(name = "a token {0} is accepted")
    @MethodSource("acceptedTokens")
    void accepts(String what, Function<Void, String> token) {
        assertThat(verifier.verify(token.apply(null), management)).isInstanceOf(Verified.class);
    }

    @Test
    void reads_the_caller_as_entra_id_names_it() {
        Claims claims = verified(trusted.sign(claims(c -> c.setStringListClaim("roles", "Policy.Check"))));

        assertThat(claims.issuer()).isEqualTo("https://login.example.com/" + TestKey.TENANT + "/v2.0");
        assertThat(claims.trustedIssuer()).isEqualTo(issuer);
        assertThat(claims.tenantId()).isEqualTo(TestKey.TENANT);
        assertThat(claims.objectId()).isEqualTo("0b1ec700-0000-0000-0000-00000000a11c");
        assertThat(claims.applicationId()).isEqualTo("04b07795-8ddb-461a-bbee-02f9e1bf7b46");
        assertThat(claims.roles()).containsExactly("Policy.Check");
        assertThat(claims.expiresAt()).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void without_oid_and_appid_the_caller_is_its_sub_and_azp() {
        Claims claims = verified(trusted.sign(claims(c -> {
            c.unsetClaim("oid");
            c.unsetClaim("appid");
            c.setSubject("service-principal");
            c.setClaim("azp", "client-app");
        })));

        assertThat(claims.objectId()).isEqualTo("service-principal");
        assertThat(claims.applicationId()).isEqualTo("client-app");
        assertThat(claims.roles()).isEmpty();
    }

    @Test
    void other_string_claims_are_read_by_name_and_blank_ones_count_as_absent() {
        Claims claims = verified(trusted.sign(claims(c -> {
            c.setClaim("nonce", "n-0S6_WzA2Mj");
            c.setClaim("preferred_username", " ");
            c.setClaim("auth_time", 1_700_000_000L);
        })));

        assertThat(claims.text("nonce")).contains("n-0S6_WzA2Mj");
        assertThat(claims.text("preferred_username")).isEmpty();
        assertThat(claims.text("auth_time")).isEmpty();
        assertThat(claims.text("name")).isEmpty();
    }

    @Test
    void a_rotated_key_is_accepted_once_the_jwks_is_fetched_again_at_most_every_30_seconds() {
        assertThat(verifier.verify(trusted.sign(valid()), management)).isInstanceOf(Verified.class);
        jwks.document = TestKey.jwks(trusted, rotated); // the issuer publishes its next key and signs with it
        String next = rotated.sign(claims(c -> c.setClaim("oid", "next")));

        clock.now = T0.plusSeconds(10);
        assertThat(verifier.verify(next, management)).isInstanceOf(Refused.class)
                .extracting("reason").isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(jwks.fetches).isEqualTo(1);

        clock.now = T0.plusSeconds(30);
        assertThat(verifier.verify(next, management)).isInstanceOf(Verified.class);
        assertThat(jwks.fetches).isEqualTo(2);
    }

    @Test
    void an_issuer_whose_keys_cannot_be_fetched_makes_its_tokens_uncheckable_not_refused() {
        jwks.document = null;

        assertThat(verifier.verify(trusted.sign(valid()), management))
                .isInstanceOf(Verification.KeysUnavailable.class);
    }

    @Test
    void a_foreign_or_forged_token_never_makes_the_keys_be_fetched() {
        verifier.verify(trusted.sign(claims(c -> c.setIssuer("https://evil.example/t/v2.0"))), management);
        verifier.verify(TestKey.unsigned(valid()), management);
        verifier.verify("not-a-jwt", management);

        assertThat(jwks.fetches).isZero();
    }

    @Test
    void a_verified_token_is_remembered_so_its_signature_is_checked_once() {
        String token = trusted.sign(valid());

        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify(token, management)).isInstanceOf(Verified.class);
        }
        assertThat(keyLookups).isEqualTo(1);
    }

    @Test
    void a_remembered_token_is_refused_once_it_expires() {
        String token = trusted.sign(valid());
        verifier.verify(token, management);

        clock.now = T0.plusSeconds(600).plus(SKEW);

        assertThat(verifier.verify(token, management)).isInstanceOf(Refused.class)
                .extracting("reason").isEqualTo(Reason.EXPIRED);
    }

    @Test
    void a_remembered_token_is_still_checked_against_each_expectation() {
        String token = trusted.sign(valid());
        verifier.verify(token, management);

        Expectation dataPlane = new Expectation(List.of(issuer), Set.of("https://vault.localhost:8443"));
        assertThat(verifier.verify(token, dataPlane)).isInstanceOf(Refused.class)
                .extracting("reason").isEqualTo(Reason.WRONG_AUDIENCE);

        // the same iss, vouched for by other keys: the token must verify with those
        TrustedIssuer impostor = new TrustedIssuer("test", TestKey.ISSUER, KeySet.of(List.of(stranger.publicJwk())));
        assertThat(verifier.verify(token, new Expectation(List.of(impostor), management.audiences())))
                .isInstanceOf(Refused.class).extracting("reason").isEqualTo(Reason.BAD_SIGNATURE);

        assertThat(verifier.verify(token, new Expectation(List.of(), management.audiences())))
                .isInstanceOf(Refused.class).extracting("reason").isEqualTo(Reason.UNTRUSTED_ISSUER);
    }

    @Test
    void refused_tokens_are_not_remembered() {
        String forged = stranger.sign(valid());

        verifier.verify(forged, management);
        verifier.verify(forged, management);

        assertThat(keyLookups).isEqualTo(2);
    }

    @Test
    void the_cache_of_verified_tokens_is_bounded() {
        TokenVerifier small = new TokenVerifier(SKEW, 4, clock);
        for (int i = 0; i < 50; i++) {
            int n = i;
            small.verify(trusted.sign(claims(c -> c.setClaim("oid", "caller-" + n))), management);
        }

        assertThat(small.cachedTokens()).isLessThanOrEqualTo(4);
    }

    @Test
    void a_fixed_pem_key_without_kid_verifies_tokens_under_any_kid(@TempDir Path dir) throws IOException {
        Path pem = Files.writeString(dir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(trusted.jwk().getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        TrustedIssuer moat = new TrustedIssuer("moat", "moat", KeySet.fromPem(pem));
        Expectation policy = new Expectation(List.of(moat), Set.of("moat-policy"));

        assertThat(verifier.verify(trusted.sign(claims(c -> {
            c.setIssuer("moat");
            c.setAudience("moat-policy");
        })), policy)).isInstanceOf(Verified.class);
        assertThat(verifier.verify(stranger.sign(claims(c -> {
            c.setIssuer("moat");
            c.setAudience("moat-policy");
        })), policy)).isInstanceOf(Refused.class).extracting("reason").isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void key_files_that_cannot_be_used_are_refused_naming_the_file(@TempDir Path dir) throws IOException {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        Path notJwks = Files.writeString(dir.resolve("not.json"), "<html>");

        assertThatThrownBy(() -> KeySet.fromPem(notPem)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not.pem");
        assertThatThrownBy(() -> KeySet.fromJwksFile(notJwks)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not.json");
        assertThatThrownBy(() -> KeySet.fromJwksFile(dir.resolve("missing.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.json");
    }

    @Test
    void reads_the_bearer_scheme_in_any_case() {
        assertThat(Bearer.token("Bearer abc")).isEqualTo("abc");
        assertThat(Bearer.token("bearer  abc ")).isEqualTo("abc");
        assertThat(Bearer.token("Basic YWRtaW4=")).isNull();
        assertThat(Bearer.token("Bearer ")).isNull();
        assertThat(Bearer.token(null)).isNull();
    }

    private Claims verified(String token) {
        Verification result = verifier.verify(token, management);
        assertThat(result).isInstanceOf(Verified.class);
        return ((Verified) result).claims();
    }
}
