package dev.moat.vault.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.moat.proto.events.v1.Layer;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The rules of the secrets API, one row each: api-versions, names, sizes, paging, and a permission per operation. */
@QuarkusTest
class SecretsRulesApiTest implements FreshPolicyService {

    private static final String VAULT = "secretrules";
    private static final String CAROL = "ca001000-0000-0000-0000-000000000004";

    @BeforeEach
    void reset() {
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all")));
    }

    private static RequestSpecification as(String objectId, String vault) {
        return Vaults.as(vault, objectId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2016-10-01", "7.0", "7.1", "7.2", "7.3", "7.4", "7.4-preview.1", "7.5", "7.6-preview.2",
            "7.6", "7.7-preview.1", "2025-07-01", "2026-04-01"})
    void every_api_version_the_sdks_send_is_served(String apiVersion) {
        String name = "v" + apiVersion.replace(".", "-");
        as(Tokens.ALICE, VAULT).queryParam("api-version", apiVersion).contentType(ContentType.JSON)
                .body("{\"value\":\"x\"}").when().put("/secrets/" + name).then().statusCode(200);
        var body = as(Tokens.ALICE, VAULT).queryParam("api-version", apiVersion).when().get("/secrets/" + name + "/")
                .then().statusCode(200).body("value", equalTo("x"))
                .body("attributes.recoveryLevel", equalTo("Recoverable+Purgeable"));
        if (apiVersion.equals("7.0") || apiVersion.equals("2016-10-01")) {
            body.body("attributes", not(hasKey("recoverableDays")));
        } else {
            body.body("attributes.recoverableDays", equalTo(90));
        }
        as(Tokens.ALICE, VAULT).queryParam("api-version", apiVersion).when().get("/secrets").then().statusCode(200);
    }

    @Test
    void a_missing_api_version_is_400_saying_which_are_served() {
        as(Tokens.ALICE, VAULT).when().get("/secrets/anything").then().statusCode(400)
                .body("error.code", equalTo("BadParameter"))
                .body("error.message", containsString("api-version query parameter is missing"))
                .body("error.message", containsString("7.0 to 7.6, 2025-07-01 and 2026-04-01"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7.7", "6.0", "2016-10-02", "2025-07-02", "2099-01-01", "latest", "7.5x"})
    void an_unknown_api_version_is_refused_with_azures_exact_answer(String apiVersion) {
        as(Tokens.ALICE, VAULT).queryParam("api-version", apiVersion).when().get("/secrets").then().statusCode(400)
                .body("error.code", equalTo("BadParameter"))
                .body("error.message", equalTo("The specified version (" + apiVersion + ") is not recognized. "
                        + "Consider using the latest supported version (2026-04-01)."));
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("a", 200),
                Arguments.of("A-1-b", 200),
                Arguments.of("n".repeat(127), 200),
                Arguments.of("n".repeat(128), 400),
                Arguments.of("under_score", 400),
                Arguments.of("dot.ted", 400),
                Arguments.of("tilde~", 400));
    }

    @ParameterizedTest
    @MethodSource("names")
    void secret_names_are_letters_digits_and_dashes_up_to_127(String name, int status) {
        var response = as(Tokens.ALICE, VAULT).queryParam("api-version", "7.5").contentType(ContentType.JSON)
                .body("{\"value\":\"x\"}").when().put("/secrets/" + name).then().statusCode(status);
        if (status == 400) {
            response.body("error.code", equalTo("BadParameter"))
                    .body("error.message", containsString("Invalid secret name '"))
                    .body("error.message", containsString("^[0-9a-zA-Z-]{1,127}$"));
        }
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of("x".repeat(25_600), 200),
                Arguments.of("x".repeat(25_601), 400),
                Arguments.of("é".repeat(12_800), 200),
                Arguments.of("é".repeat(12_801), 400));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void values_are_at_most_25_600_bytes_of_utf_8(String value, int status) {
        var response = as(Tokens.ALICE, VAULT).queryParam("api-version", "7.5").contentType(ContentType.JSON)
                .body("{\"value\":\"" + value + "\"}").when().put("/secrets/sized").then().statusCode(status);
        if (status == 400) {
            response.body("error.message", containsString("at most 25600 bytes"))
                    .body("error.message", not(containsString(value.substring(0, 20))));
        }
    }

    @Test
    void content_types_and_tags_follow_azures_limits() {
        as(Tokens.ALICE, VAULT).queryParam("api-version", "7.5").contentType(ContentType.JSON)
                .body("{\"value\":\"x\",\"contentType\":\"" + "c".repeat(256) + "\"}").when().put("/secrets/limits")
                .then().statusCode(400).body("error.message", containsString("at most 255 characters"));
        StringBuilder tags = new StringBuilder("{");
        for (int i = 0; i < 16; i++) {
            tags.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"v\"");
        }
        as(Tokens.ALICE, VAULT).queryParam("api-version", "7.5").contentType(ContentType.JSON)
                .body("{\"value\":\"x\",\"tags\":" + tags + "}}").when().put("/secrets/limits")
                .then().statusCode(400).body("error.message", containsString("at most 15 tags"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "26", "-1", "ten"})
    void maxresults_is_1_to_25(String maxResults) {
        as(Tokens.ALICE, VAULT).queryParam("api-version", "7.5").queryParam("maxresults", maxResults)
                .when().get("/secrets").then().statusCode(400)
                .body("error.message", containsString("Invalid maxresults '" + maxResults + "'"));
    }

    @Test
    void a_skiptoken_that_no_next_link_gave_is_400() {
        as(Tokens.ALICE, VAULT).queryParam("api-version", "7.5").queryParam("$skiptoken", "bm9wZQ")
                .when().get("/secrets").then().statusCode(400)
                .body("error.message", containsString("Invalid $skiptoken 'bm9wZQ'"));
    }

    /** One row per operation: the method, the path, the body, and the secrets permission it needs. */
    static Stream<Arguments> operations() {
        String set = "{\"value\":\"v\"}";
        return Stream.of(
                Arguments.of("set", "PUT", "/secrets/guarded", set),
                Arguments.of("get", "GET", "/secrets/guarded", null),
                Arguments.of("get", "GET", "/secrets/guarded/00000000000000000000000000000000", null),
                Arguments.of("set", "PATCH", "/secrets/guarded/00000000000000000000000000000000", "{}"),
                Arguments.of("list", "GET", "/secrets", null),
                Arguments.of("list", "GET", "/secrets/guarded/versions", null),
                Arguments.of("delete", "DELETE", "/secrets/guarded", null),
                Arguments.of("backup", "POST", "/secrets/guarded/backup", null),
                Arguments.of("restore", "POST", "/secrets/restore", "{\"value\":\"AAAA\"}"),
                Arguments.of("get", "GET", "/deletedsecrets/guarded", null),
                Arguments.of("list", "GET", "/deletedsecrets", null),
                Arguments.of("recover", "POST", "/deletedsecrets/guarded/recover", null),
                Arguments.of("purge", "DELETE", "/deletedsecrets/guarded", null));
    }

    private static io.restassured.response.Response call(RequestSpecification spec, String method, String path,
            String body) {
        spec = spec.queryParam("api-version", "7.5");
        if (body != null) {
            spec = spec.contentType(ContentType.JSON).body(body);
        }
        return spec.when().request(method, path);
    }

    @ParameterizedTest(name = "{1} {2} needs secrets {0}")
    @MethodSource("operations")
    void each_operation_needs_its_own_secrets_permission(String permission, String method, String path,
            String body) {
        List<String> others = new ArrayList<>(List.of("get", "list", "set", "delete", "backup", "restore", "recover",
                "purge"));
        others.remove(permission);
        String vault = "perm" + permission;
        Vaults.put(vault, Vaults.body(Vaults.secretsPolicy(Tokens.BOB, others.toArray(String[]::new)),
                Vaults.secretsPolicy(CAROL, permission)));

        String id = call(as(Tokens.BOB, vault), method, path, body).then().statusCode(403)
                .body("error.code", equalTo("Forbidden"))
                .body("error.innererror.code", equalTo("ForbiddenByPolicy"))
                .body("error.message", containsString("does not have secrets " + permission + " permission on key "
                        + "vault '" + vault + ";location=westeurope'"))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        assertThat(DecisionEvents.await(id).getLayer()).isEqualTo(Layer.LAYER_ACCESS_POLICY);

        int status = call(as(CAROL, vault), method, path, body).then().extract().statusCode();
        assertThat(status).as("with only secrets " + permission).isIn(200, 204, 400, 404);
    }

    @Test
    void nothing_of_a_request_runs_before_the_firewall_and_the_access_policy_allowed_it() {
        PolicyServiceDouble.answer = PolicyServiceDouble::deny;
        as(Tokens.ALICE, VAULT).queryParam("api-version", "7.5").contentType(ContentType.JSON)
                .body("{\"value\":\"v\"}").when().put("/secrets/walled").then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByFirewall"));
        as(Tokens.ALICE, VAULT).contentType(ContentType.JSON).body("{not json")
                .when().put("/secrets/walled").then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByFirewall"));
        as(Tokens.BOB, VAULT).queryParam("api-version", "7.5").contentType(ContentType.JSON)
                .body("{\"value\":\"v\"}").when().put("/secrets/walled").then().statusCode(403);

        PolicyServiceDouble.reset();
        as(Tokens.BOB, VAULT).queryParam("api-version", "7.5").contentType(ContentType.JSON)
                .body("{\"value\":\"v\"}").when().put("/secrets/walled").then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByPolicy"));
        as(Tokens.ALICE, VAULT).queryParam("api-version", "7.5").when().get("/secrets/walled").then().statusCode(404);
    }

    @Test
    void the_sdks_first_request_without_a_token_is_challenged_and_its_body_never_read() {
        given().header("Host", Vaults.host(VAULT)).queryParam("api-version", "7.5").contentType(ContentType.JSON)
                .body("").when().put("/secrets/challenged")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer authorization="));
        as(Tokens.ALICE, VAULT).queryParam("api-version", "7.5").when().get("/secrets/challenged")
                .then().statusCode(404);
    }
}
