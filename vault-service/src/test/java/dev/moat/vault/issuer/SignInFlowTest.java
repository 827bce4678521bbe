package dev.moat.vault.issuer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The console's sign-in: authorize form, authorization code with PKCE (S256), refresh token, as a browser and client do. */
@QuarkusTest
class SignInFlowTest implements FreshPolicyService {

    static final String CLIENT = "moat-console";
    static final String REDIRECT = "https://localhost:8444/signin/callback";
    static final String PASSWORD = "correct horse battery staple";
    static final String ALICE_OID = "a11ce000-0000-0000-0000-000000000007";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more";
    static final String MANAGEMENT = "https://management.localhost/.default";

    private static String authorize() {
        return "/" + Tokens.TENANT + "/oauth2/v2.0/authorize";
    }

    private static Map<String, String> request() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", CLIENT);
        params.put("redirect_uri", REDIRECT);
        params.put("response_type", "code");
        params.put("scope", "openid offline_access " + MANAGEMENT);
        params.put("state", "state-123");
        params.put("nonce", "nonce-456");
        params.put("code_challenge", SignInTokenRequests.s256(VERIFIER));
        params.put("code_challenge_method", "S256");
        return params;
    }

    private static Response signIn(Map<String, String> params, String user, String password) {
        Map<String, String> form = new HashMap<>(params);
        form.put("username", user);
        form.put("password", password);
        return given().redirects().follow(false).contentType(ContentType.URLENC).formParams(form)
                .when().post(authorize());
    }

    private static Map<String, String> query(String location) {
        Map<String, String> values = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String code() {
        Response answer = signIn(request(), "alice", PASSWORD);
        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.header("Location")).startsWith(REDIRECT + "?");
        Map<String, String> back = query(answer.header("Location"));
        assertThat(back).containsEntry("state", "state-123");
        return back.get("code");
    }

    private static Response redeem(String code, String verifier) {
        return given().contentType(ContentType.URLENC).formParams(Map.of("grant_type", "authorization_code",
                "client_id", CLIENT, "code", code, "redirect_uri", REDIRECT, "code_verifier", verifier))
                .when().post("/" + Tokens.TENANT + "/oauth2/v2.0/token");
    }

    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    @Test
    void shows_a_sign_in_form_without_script_under_a_restrictive_policy() {
        given().queryParams(request()).when().get(authorize())
                .then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("form-action 'self' https://localhost:8444"))
                .header("Cache-Control", "no-store")
                .body(containsString("name=\"password\""), containsString("Moat console"),
                        not(containsString("<script")));
    }

    @Test
    void a_user_signs_in_and_the_client_redeems_the_code_with_its_verifier_for_the_users_tokens() {
        Response tokens = redeem(code(), VERIFIER);
        tokens.then().statusCode(200).header("Cache-Control", "no-store");
        String access = tokens.path("access_token");
        assertThat(claims(access)).contains("\"aud\":\"https://management.localhost\"", "\"oid\":\"" + ALICE_OID + "\"",
                "\"appid\":\"" + CLIENT + "\"", "\"idtyp\":\"user\"", "\"tid\":\"" + Tokens.TENANT + "\"");
        assertThat(claims(tokens.path("id_token"))).contains("\"aud\":\"" + CLIENT + "\"", "\"nonce\":\"nonce-456\"",
                "\"sub\":\"" + ALICE_OID + "\"", "\"name\":\"Alice Operator\"");
        // the management plane takes the person's token (an empty list: she owns no vault yet)
        given().auth().oauth2(access).when()
                .get("/subscriptions/s1/providers/Microsoft.KeyVault/vaults?api-version=2023-02-01")
                .then().statusCode(200);

        // the refresh token buys a token for the data plane, as Entra's refresh tokens do for another resource
        String dataPlane = "https://vault.localhost:" + RestAssured.port;
        Response refreshed = given().contentType(ContentType.URLENC).formParams(Map.of("grant_type", "refresh_token",
                "client_id", CLIENT, "refresh_token", tokens.path("refresh_token"), "scope", dataPlane + "/.default"))
                .when().post("/" + Tokens.TENANT + "/oauth2/v2.0/token");
        refreshed.then().statusCode(200).body("id_token", nullValue());
        assertThat(claims(refreshed.path("access_token"))).contains("\"aud\":\"" + dataPlane + "\"",
                "\"oid\":\"" + ALICE_OID + "\"");
    }

    @Test
    void a_code_is_redeemed_once() {
        String code = code();
        redeem(code, VERIFIER).then().statusCode(200);
        redeem(code, VERIFIER).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void a_code_without_its_verifier_is_refused() {
        redeem(code(), VERIFIER.replace('d', 'e')).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("code_verifier does not match"));
    }

    @Test
    void neither_a_code_nor_a_refresh_token_passes_as_an_access_token() {
        String code = code();
        String refresh = redeem(code, VERIFIER).path("refresh_token");
        for (String notAnAccessToken : new String[] {code, refresh}) {
            given().auth().oauth2(notAnAccessToken).when()
                    .get("/subscriptions/s1/providers/Microsoft.KeyVault/vaults?api-version=2023-02-01")
                    .then().statusCode(401);
        }
        // nor does a refresh token pass as a code
        redeem(refresh, VERIFIER).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void a_wrong_password_or_unknown_user_shows_the_form_again_and_sends_no_code() {
        for (String[] attempt : new String[][] {{"alice", "wrong"}, {"mallory", PASSWORD}}) {
            signIn(request(), attempt[0], attempt[1]).then().statusCode(200)
                    .header("Location", nullValue())
                    .body(containsString("invalid username or password"));
        }
    }

    static Stream<Arguments> refusedHere() {
        return Stream.of(
                Arguments.of("unknown client", "client_id", "someone-else", "AADSTS700016"),
                Arguments.of("unregistered redirect URI", "redirect_uri", "https://evil.example/cb", "AADSTS50011"));
    }

    @ParameterizedTest(name = "{0}: answered on the page, never redirected")
    @MethodSource("refusedHere")
    void refuses_an_unknown_client_or_redirect_uri_without_redirecting(String what, String param, String value,
            String code) {
        Map<String, String> params = request();
        params.put(param, value);
        given().redirects().follow(false).queryParams(params).when().get(authorize())
                .then().statusCode(400).header("Location", nullValue()).body(containsString(code));
    }

    static Stream<Arguments> sentBack() {
        return Stream.of(
                Arguments.of("no PKCE", "code_challenge_method", null),
                Arguments.of("plain PKCE", "code_challenge_method", "plain"),
                Arguments.of("a challenge of the wrong size", "code_challenge", "short"),
                Arguments.of("the implicit flow", "response_type", "token"));
    }

    @ParameterizedTest(name = "{0}: error=invalid_request back to the client")
    @MethodSource("sentBack")
    void sends_other_request_errors_back_to_the_client(String what, String param, String value) {
        Map<String, String> params = request();
        if (value == null) {
            params.remove(param);
        } else {
            params.put(param, value);
        }
        Response answer = signIn(params, "alice", PASSWORD);
        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(query(answer.header("Location"))).containsEntry("error", "invalid_request")
                .containsEntry("state", "state-123").doesNotContainKey("code");
    }

    @Test
    void the_discovery_document_names_the_authorize_endpoint_and_pkce() {
        given().when().get("/" + Tokens.TENANT + "/v2.0/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("authorization_endpoint", equalTo("https://localhost:" + RestAssured.port + "/" + Tokens.TENANT
                        + "/oauth2/v2.0/authorize"))
                .body("code_challenge_methods_supported[0]", equalTo("S256"));
    }
}
