package dev.moat.vault.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
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
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.TestHttps;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Requests over the size limits (moat.vault.http-limits.*, quarkus.http.limits.max-body-size) get 414, 431 or 413 in
 * Key Vault's error JSON, before any check; on a vault host each leaves a decision event.
 */
@QuarkusTest
class RequestLimitsTest {

    private static final String VAULT = "limitsvault";
    /** The test configuration's body limit (quarkus.http.limits.max-body-size=1M). */
    private static final int BODY_LIMIT = 1024 * 1024;

    @BeforeAll
    static void https() {
        TestHttps.trustLocalCa();
    }

    @BeforeEach
    void vault() {
        PolicyServiceDouble.reset();
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "get", "set")));
        PolicyServiceDouble.received.clear();
    }

    /** One oversize request, given the request with its vault host and token. */
    interface Send extends Function<RequestSpecification, Response> {
    }

    static Stream<Arguments> oversize() {
        return Stream.of(
                Arguments.of("a 70 KB header", 431, "RequestHeaderFieldsTooLarge", "header fields of",
                        (Send) r -> r
                                .header("X-Padding", "a".repeat(70 * 1024)).get("/secrets/s1?api-version=7.5")),
                Arguments.of("a 9 KB request line", 414, "RequestUriTooLong", "request line of",
                        (Send) r -> r
                                .get("/secrets/" + "s".repeat(9 * 1024) + "?api-version=7.5")),
                Arguments.of("a body over the limit", 413, "RequestEntityTooLarge", "body of",
                        (Send) r -> r
                                .contentType("application/json").body(new byte[BODY_LIMIT + 1])
                                .put("/secrets/s1?api-version=7.5")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversize")
    void is_refused_in_key_vault_shape_before_any_check_and_recorded(String what, int status, String code,
            String reason, Send send) {
        String id = send.apply(Vaults.as(VAULT, Tokens.ALICE))
                .then().statusCode(status)
                .body("error.code", equalTo(code))
                .body("error.message", containsString("the limit is"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);

        assertThat(id).as("the decision id of the refusal").isNotBlank();
        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getVault()).isEqualTo(VAULT);
        assertThat(event.getResult()).isEqualTo(Result.RESULT_DENIED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_REQUEST);
        assertThat(event.getHttpStatus()).isEqualTo(status);
        assertThat(event.getReason()).startsWith(reason);
        assertThat(event.getCallerIp()).isEqualTo("127.0.0.1");
        assertThat(event.getRequestPath().length()).isLessThanOrEqualTo(2048);
        // before any check: the firewall was not asked, and no identity was read from the token
        assertThat(PolicyServiceDouble.received).isEmpty();
        assertThat(event.hasIdentity()).isFalse();
    }

    @Test
    void over_http2_the_header_fields_are_measured_the_same() throws Exception {
        javax.net.ssl.SSLContext tls = TestHttps.sslContext("TLS");
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(tls)
                .version(java.net.http.HttpClient.Version.HTTP_2).build();

        java.net.http.HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "https://localhost:" + RestAssured.port + "/subscriptions?api-version=2022-12-01"))
                .header("X-Padding", "a".repeat(40 * 1024)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(answer.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        assertThat(answer.statusCode()).isEqualTo(431);
        assertThat(answer.body()).contains("\"code\":\"RequestHeaderFieldsTooLarge\"");
    }

    @Test
    void on_the_bare_host_the_answer_is_the_same_without_an_event() {
        given().header("Host", "localhost:" + RestAssured.port).header("X-Padding", "a".repeat(70 * 1024))
                .get("/subscriptions?api-version=2022-12-01")
                .then().statusCode(431)
                .body("error.code", equalTo("RequestHeaderFieldsTooLarge"))
                .header(DataPlanePipeline.DECISION_ID_HEADER, nullValue());
    }

    @Test
    void a_request_within_the_limits_goes_on_to_the_checks() {
        given().header("Host", Vaults.host(VAULT)).header("X-Padding", "a".repeat(16 * 1024))
                .header("Authorization", Tokens.dataPlane().objectId(Tokens.ALICE).bearer())
                .get("/secrets/absent?api-version=7.5")
                .then().statusCode(404).body("error.code", equalTo("SecretNotFound"));
        assertThat(PolicyServiceDouble.received).hasSize(1);
    }
}
