package dev.moat.vault.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
class DataPlaneAuthenticationTest implements FreshPolicyService {

    private static final String VAULT = "authvault";

    @BeforeEach
    void vault() {
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all")));
        PolicyServiceDouble.received.clear();
    }

    private static String challenge() {
        int port = RestAssured.port;
        return "Bearer authorization=\"https://localhost:" + port + "/" + Tokens.TENANT
                + "\", resource=\"https://vault.localhost:" + port + "\"";
    }

    @Test
    void a_request_without_a_token_gets_the_exact_key_vault_challenge_and_is_not_acted_on() {
        String id = given().header("Host", Vaults.host(VAULT))
                .when().get("/secrets/db-password?api-version=2025-07-01")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(challenge()))
                .body("error.code", equalTo("Unauthorized"))
                .body("error.message", equalTo("AKV10000: Request is missing a Bearer or PoP token."))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        assertThat(PolicyServiceDouble.received).as("the firewall is not asked for an anonymous request").isEmpty();
        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_DENIED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_AUTHENTICATION);
        assertThat(event.getHttpStatus()).isEqualTo(401);
        assertThat(event.hasIdentity()).isFalse();
        assertThat(event.getCallerIp()).isEqualTo("127.0.0.1");
    }

    static Stream<Arguments> refusedTokens() {
        return Stream.of(
                Arguments.of("expired", (Supplier<String>) () -> Tokens.dataPlane().expired().bearer(), "expired"),
                Arguments.of("not yet valid", (Supplier<String>) () -> Tokens.dataPlane().notYetValid().bearer(),
                        "not valid yet"),
                Arguments.of("signed by an untrusted key",
                        (Supplier<String>) () -> Tokens.dataPlane().signedByStranger().bearer(), "signature"),
                Arguments.of("for the management audience",
                        (Supplier<String>) () -> Tokens.management().bearer(), "AKV10022: Invalid audience"),
                Arguments.of("for another resource",
                        (Supplier<String>) () -> Tokens.dataPlane().audience("https://vault.azure.net").bearer(),
                        "AKV10022: Invalid audience"),
                Arguments.of("for the data plane of another port",
                        (Supplier<String>) () -> Tokens.dataPlane().audience("https://vault.localhost:1").bearer(),
                        "AKV10022: Invalid audience"),
                Arguments.of("from an untrusted issuer",
                        (Supplier<String>) () -> Tokens.dataPlane().issuer("https://evil.example/t/v2.0").bearer(),
                        "AKV10032: Invalid issuer"),
                Arguments.of("whose issuer is of another tenant than its tid",
                        (Supplier<String>) () -> Tokens.dataPlane()
                                .issuer("https://test-issuer.moat.example/other-tenant/v2.0").bearer(),
                        "AKV10032: Invalid issuer"),
                Arguments.of("signed with HS256", (Supplier<String>) () -> "Bearer " + hs256(), "not valid"),
                Arguments.of("that is not a JWT", (Supplier<String>) () -> "Bearer not-a-jwt", "not a well-formed JWT"),
                Arguments.of("of another scheme", (Supplier<String>) () -> "Basic dXNlcjpwYXNz", "AKV10000"));
    }

    @ParameterizedTest(name = "a token {0} is refused with 401 and the challenge")
    @MethodSource("refusedTokens")
    void refuses_a_bad_token_with_401_the_challenge_and_an_authentication_event(String what,
            Supplier<String> authorization, String message) {
        String id = given().header("Host", Vaults.host(VAULT)).header("Authorization", authorization.get())
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(challenge()))
                .body("error.code", equalTo("Unauthorized"))
                .body("error.message", org.hamcrest.Matchers.containsString(message))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        assertThat(PolicyServiceDouble.received).isEmpty();
        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_AUTHENTICATION);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_DENIED);
        assertThat(event.getReason()).isNotEmpty().doesNotContain("eyJ");
    }

    static Stream<String> acceptedAudiences() {
        return Stream.of("https://vault.localhost:{port}", "https://vault.localhost", "https://vault.localhost/",
                "https://vault.localhost:{port}/");
    }

    @ParameterizedTest(name = "audience {0} is accepted")
    @MethodSource("acceptedAudiences")
    void accepts_the_data_plane_audience_with_and_without_the_port(String audience) {
        given().header("Host", Vaults.host(VAULT))
                .header("Authorization", Tokens.dataPlane()
                        .audience(audience.replace("{port}", String.valueOf(RestAssured.port))).bearer())
                .when().get("/secrets/db-password?api-version=7.5")
                .then().statusCode(404).body("error.code", equalTo("SecretNotFound"));
    }

    @Test
    void the_firewall_is_asked_with_vault_services_own_token() {
        given().header("Host", Vaults.host(VAULT)).header("Authorization", Tokens.dataPlane().bearer())
                .when().get("/secrets/db-password?api-version=7.5").then().statusCode(404);

        assertThat(PolicyServiceDouble.checkAuthorizations).last().satisfies(authorization -> {
            assertThat(authorization).startsWith("Bearer ");
            String claims = PolicyServiceDouble.claimsOf(authorization);
            assertThat(claims).contains("\"aud\":\"moat-policy\"", "\"iss\":\"moat\"", "Policy.Check",
                    "\"sub\":\"vault-service\"");
        });
    }

    @Test
    void the_challenge_names_the_bare_host_as_authority_even_for_a_vault_host() {
        given().header("Host", Vaults.host(VAULT))
                .when().get("/secrets/x?api-version=7.5")
                .then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer authorization=\"https://localhost:"));
    }

    private static String hs256() {
        try {
            org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
            org.jose4j.jwt.JwtClaims claims = new org.jose4j.jwt.JwtClaims();
            claims.setIssuer("https://test-issuer.moat.example/" + Tokens.TENANT + "/v2.0");
            claims.setClaim("tid", Tokens.TENANT);
            claims.setAudience("https://vault.localhost:" + RestAssured.port);
            claims.setExpirationTimeMinutesInTheFuture(10);
            claims.setClaim("oid", Tokens.ALICE);
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(org.jose4j.jws.AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKey(new org.jose4j.keys.HmacKey(new byte[32]));
            return jws.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
