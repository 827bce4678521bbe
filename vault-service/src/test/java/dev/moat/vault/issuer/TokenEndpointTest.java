package dev.moat.vault.issuer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.TestHttps;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
class TokenEndpointTest implements FreshPolicyService {

    static final String CLIENT = "11111111-2222-3333-4444-555555555555";
    static final String SECRET = "s3cret-for-tests";
    static final String CLIENT_OID = "0b1ec700-0000-0000-0000-000000000042";

    private static String tokenPath() {
        return "/" + Tokens.TENANT + "/oauth2/v2.0/token";
    }

    /** What MSAL4J sends for ClientSecretCredential (azure-compat.md section 4). */
    private static Map<String, String> msalForm(String scope) {
        return Map.of("grant_type", "client_credentials", "client_id", CLIENT, "client_secret", SECRET,
                "scope", scope + " openid profile offline_access", "client_info", "1",
                "claims", "{\"access_token\":{\"xms_cc\":{\"values\":[\"CP1\"]}}}");
    }

    @Test
    void issues_a_data_plane_token_to_a_configured_client_as_entra_does() {
        String resource = "https://vault.localhost:" + RestAssured.port;
        String token = given().contentType(ContentType.URLENC).formParams(msalForm(resource + "/.default"))
                .when().post(tokenPath())
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(3600))
                .body("ext_expires_in", equalTo(3600))
                .body("access_token", notNullValue())
                .extract().path("access_token");

        String header = decode(token.split("\\.")[0]);
        String claims = decode(token.split("\\.")[1]);
        assertThat(header).contains("\"alg\":\"RS256\"", "\"kid\"");
        assertThat(claims).contains("\"aud\":\"" + resource + "\"", "\"tid\":\"" + Tokens.TENANT + "\"",
                "\"oid\":\"" + CLIENT_OID + "\"", "\"appid\":\"" + CLIENT + "\"",
                "\"iss\":\"https://localhost:" + RestAssured.port + "/" + Tokens.TENANT + "/v2.0\"", "\"exp\"",
                "\"nbf\"");
        assertThat(token).doesNotContain(SECRET);
    }

    @Test
    void an_issued_token_opens_the_data_plane_and_not_the_management_plane() {
        Vaults.put("issuedvault", Vaults.body(Vaults.secretsPolicy(CLIENT_OID, "get")));
        String dataToken = given().contentType(ContentType.URLENC)
                .formParams(msalForm("https://vault.localhost:" + RestAssured.port + "/.default"))
                .when().post(tokenPath()).then().statusCode(200).extract().path("access_token");

        given().header("Host", Vaults.host("issuedvault")).header("Authorization", "Bearer " + dataToken)
                .when().get("/secrets/x?api-version=7.5").then().statusCode(404).body("error.code", equalTo("SecretNotFound"));
        given().header("Authorization", "Bearer " + dataToken)
                .when().get(Vaults.path("issuedvault"))
                .then().statusCode(401).body("error.code", equalTo("InvalidAuthenticationTokenAudience"));
    }

    @Test
    void an_issued_management_token_is_refused_by_the_data_plane() {
        Vaults.put("issuedvault2", Vaults.body(Vaults.secretsPolicy(CLIENT_OID, "get")));
        String managementToken = given().contentType(ContentType.URLENC)
                .formParams(msalForm("https://management.localhost/.default"))
                .when().post(tokenPath()).then().statusCode(200).extract().path("access_token");

        given().header("Host", Vaults.host("issuedvault2")).header("Authorization", "Bearer " + managementToken)
                .when().get("/secrets/x?api-version=7.5")
                .then().statusCode(401).body("error.message", containsString("AKV10022"));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no grant_type", Map.of("client_id", CLIENT), 400, "invalid_request", "AADSTS900144"),
                Arguments.of("a grant other than client_credentials",
                        Map.of("grant_type", "password", "client_id", CLIENT), 400, "unsupported_grant_type",
                        "AADSTS70003"),
                Arguments.of("no client_id", Map.of("grant_type", "client_credentials"), 400, "invalid_request",
                        "'client_id'"),
                Arguments.of("an unknown client", Map.of("grant_type", "client_credentials", "client_id",
                        "99999999-0000-0000-0000-000000000000", "client_secret", SECRET, "scope",
                        "https://management.localhost/.default"), 400, "unauthorized_client", "AADSTS700016"),
                Arguments.of("no secret", Map.of("grant_type", "client_credentials", "client_id", CLIENT, "scope",
                        "https://management.localhost/.default"), 401, "invalid_client", "AADSTS7000216"),
                Arguments.of("a wrong secret", Map.of("grant_type", "client_credentials", "client_id", CLIENT,
                        "client_secret", "wrong", "scope", "https://management.localhost/.default"), 401,
                        "invalid_client", "AADSTS7000215: Invalid client secret provided"),
                Arguments.of("a scope without /.default", Map.of("grant_type", "client_credentials", "client_id",
                        CLIENT, "client_secret", SECRET, "scope", "openid profile"), 400, "invalid_scope",
                        "AADSTS1002012"),
                Arguments.of("a resource Moat does not serve", Map.of("grant_type", "client_credentials",
                        "client_id", CLIENT, "client_secret", SECRET, "scope", "https://vault.azure.net/.default"),
                        400, "invalid_resource", "AADSTS500011"));
    }

    @ParameterizedTest(name = "{0} is refused with {2} {3}")
    @MethodSource("refusals")
    void refuses_bad_requests_with_entra_errors(String what, Map<String, String> form, int status, String error,
            String description) {
        given().contentType(ContentType.URLENC).formParams(form)
                .when().post(tokenPath())
                .then().statusCode(status)
                .body("error", equalTo(error))
                .body("error_description", containsString(description))
                .body("error_codes", notNullValue())
                .body("error_description", org.hamcrest.Matchers.not(containsString(SECRET)));
    }

    @Test
    void the_twenty_first_wrong_secret_in_a_minute_is_429_while_the_right_secret_from_another_address_gets_a_token()
            throws Exception {
        // The attack comes from 127.0.0.3 and the real client from 127.0.0.2 (rest-assured's 127.0.0.1 is left alone,
        // so that the other tests are never throttled).
        String scope = "&scope=https%3A%2F%2Fmanagement.localhost%2F.default";
        String wrong = "grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=guess" + scope;
        String right = "grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=" + SECRET + scope;
        for (int i = 0; i < 20; i++) {
            assertThat(postFrom("127.0.0.3", tokenPath(), wrong)).as("attempt %d", i + 1)
                    .startsWith("HTTP/1.1 401").contains("invalid_client");
        }

        String throttled = postFrom("127.0.0.3", tokenPath(), wrong);
        assertThat(throttled).startsWith("HTTP/1.1 429").containsPattern("(?i)retry-after: [1-9][0-9]*\r\n")
                .contains("temporarily_unavailable");
        // the right secret from the attacking address is throttled too: the throttle answers before the secret is read
        assertThat(postFrom("127.0.0.3", tokenPath(), right)).startsWith("HTTP/1.1 429");
        // the real client, from another address, still gets its token
        assertThat(postFrom("127.0.0.2", tokenPath(), right)).startsWith("HTTP/1.1 200").contains("access_token");
    }

    /** A raw HTTP/1.1 POST over TLS from a given local address (rest-assured cannot choose its source address). */
    private static String postFrom(String localAddress, String path, String form) throws Exception {
        javax.net.ssl.SSLContext context = TestHttps.sslContext("TLS");
        try (var socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(
                java.net.InetAddress.getByName("127.0.0.1"), RestAssured.port,
                java.net.InetAddress.getByName(localAddress), 0)) {
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + RestAssured.port
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
                    + "\r\nConnection: close\r\n\r\n" + form).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void a_tenant_the_client_is_not_in_is_refused() {
        given().contentType(ContentType.URLENC).formParams(msalForm("https://management.localhost/.default"))
                .when().post("/99999999-9999-9999-9999-999999999999/oauth2/v2.0/token")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void the_token_endpoint_is_not_served_on_a_vault_host() {
        given().header("Host", Vaults.host("anyvault")).contentType(ContentType.URLENC)
                .formParams(msalForm("https://management.localhost/.default"))
                .when().post(tokenPath())
                .then().statusCode(404);
    }

    @Test
    void publishes_openid_metadata_and_the_signing_key() {
        String base = "https://localhost:" + RestAssured.port + "/" + Tokens.TENANT;
        given().when().get("/" + Tokens.TENANT + "/v2.0/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("issuer", equalTo(base + "/v2.0"))
                .body("token_endpoint", equalTo(base + "/oauth2/v2.0/token"))
                .body("jwks_uri", equalTo(base + "/discovery/v2.0/keys"))
                .body("id_token_signing_alg_values_supported", hasItem("RS256"));
        given().when().get("/" + Tokens.TENANT + "/discovery/v2.0/keys")
                .then().statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].kid", notNullValue())
                .body("keys[0].d", org.hamcrest.Matchers.nullValue());
    }

    /** OpenID Connect Discovery 1.0 section 3: the members MSAL (Python, Node, the Azure CLI) reads. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"entra", "adfs"})
    void both_discovery_documents_are_complete(String style) {
        String bare = "https://localhost:" + RestAssured.port;
        boolean adfs = style.equals("adfs");
        String base = bare + (adfs ? "/adfs" : "/" + Tokens.TENANT);
        given().when().get(adfs ? "/adfs/.well-known/openid-configuration"
                : "/" + Tokens.TENANT + "/v2.0/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("issuer", equalTo(bare + "/" + Tokens.TENANT + "/v2.0"))
                .body("authorization_endpoint", equalTo(base + (adfs ? "/oauth2/authorize" : "/oauth2/v2.0/authorize")))
                .body("token_endpoint", equalTo(base + (adfs ? "/oauth2/token" : "/oauth2/v2.0/token")))
                .body("jwks_uri", equalTo(base + (adfs ? "/discovery/keys" : "/discovery/v2.0/keys")))
                .body("response_types_supported", notNullValue())
                .body("subject_types_supported", hasItem("pairwise"))
                .body("id_token_signing_alg_values_supported", hasItem("RS256"))
                .body("grant_types_supported", hasItem("client_credentials"));
        given().when().get(adfs ? "/adfs/discovery/keys" : "/" + Tokens.TENANT + "/discovery/v2.0/keys")
                .then().statusCode(200).body("keys[0].kty", equalTo("RSA"));
    }

    @Test
    void the_adfs_authority_issues_the_same_token_through_the_same_grant() {
        String resource = "https://management.localhost";
        String token = given().contentType(ContentType.URLENC).formParams(msalForm(resource + "/.default"))
                .when().post("/adfs/oauth2/token")
                .then().statusCode(200).body("token_type", equalTo("Bearer")).extract().path("access_token");
        String claims = decode(token.split("\\.")[1]);
        assertThat(claims).contains("\"aud\":\"" + resource + "\"", "\"tid\":\"" + Tokens.TENANT + "\"",
                "\"iss\":\"https://localhost:" + RestAssured.port + "/" + Tokens.TENANT + "/v2.0\"");
        given().header("Authorization", "Bearer " + token).when().get("/subscriptions?api-version=2022-12-01")
                .then().statusCode(200);
        given().contentType(ContentType.URLENC).formParams(Map.of("grant_type", "client_credentials", "client_id",
                CLIENT, "client_secret", "wrong", "scope", resource + "/.default"))
                .when().post("/adfs/oauth2/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void the_adfs_authorization_endpoint_refuses_interactive_sign_in_with_an_oauth_error() {
        given().when().get("/adfs/oauth2/authorize?response_type=code&client_id=" + CLIENT)
                .then().statusCode(400).body("error", equalTo("unsupported_response_type"))
                .body("error_description", containsString("client_credentials"));
    }

    @Test
    void adfs_paths_exist_only_under_adfs() {
        given().when().get("/" + Tokens.TENANT + "/.well-known/openid-configuration").then().statusCode(404);
        given().contentType(ContentType.URLENC).formParams(msalForm("https://management.localhost/.default"))
                .when().post("/" + Tokens.TENANT + "/oauth2/token").then().statusCode(404);
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
