package dev.moat.vault.api;

import static dev.moat.vault.testing.Refusals.notFound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Every secrets operation over HTTPS as Key Vault answers it (azure-compat.md section 5.1), with its errors. */
@QuarkusTest
class SecretsApiTest implements FreshPolicyService {

    private static final String VAULT = "secretsapi";
    private static final String VERSION_ID = "[0-9a-f]{32}";

    @BeforeEach
    void vaultWhereAliceHoldsEverySecretPermission() {
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all")));
    }

    static RequestSpecification alice(String vault) {
        return Vaults.as(vault, Tokens.ALICE, "7.5");
    }

    static String base(String vault) {
        return "https://" + Vaults.host(vault);
    }

    static String set(String vault, String name, String body) {
        return alice(vault).contentType(ContentType.JSON).body(body).when().put("/secrets/" + name)
                .then().statusCode(200).extract().path("id");
    }

    static String version(String id) {
        return id.substring(id.lastIndexOf('/') + 1);
    }

    @Test
    void set_answers_the_secret_bundle_with_a_new_version() {
        long before = Instant.now().getEpochSecond();
        alice(VAULT).contentType(ContentType.JSON)
                .body("{\"value\":\"s3cr3t\",\"contentType\":\"text/plain\",\"tags\":{\"env\":\"prod\"},"
                        + "\"attributes\":{\"enabled\":true},\"unknownField\":1}")
                .when().put("/secrets/set-bundle")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("value", equalTo("s3cr3t"))
                .body("id", matchesPattern(base(VAULT) + "/secrets/set-bundle/" + VERSION_ID))
                .body("contentType", equalTo("text/plain"))
                .body("tags.env", equalTo("prod"))
                .body("attributes.enabled", equalTo(true))
                .body("attributes.created", org.hamcrest.Matchers.greaterThanOrEqualTo((int) before))
                .body("attributes.updated", notNullValue())
                .body("attributes.recoveryLevel", equalTo("Recoverable+Purgeable"))
                .body("attributes.recoverableDays", equalTo(90))
                .body("attributes", not(hasKey("nbf")))
                .body("$", not(hasKey("kid")));
    }

    @Test
    void get_answers_the_latest_version_with_or_without_a_trailing_slash_and_any_version_by_id() {
        String first = version(set(VAULT, "get-me", "{\"value\":\"one\"}"));
        String second = version(set(VAULT, "get-me", "{\"value\":\"two\"}"));

        for (String path : List.of("/secrets/get-me", "/secrets/get-me/", "/secrets/GET-ME/")) {
            alice(VAULT).when().get(path).then().statusCode(200)
                    .body("value", equalTo("two"))
                    .body("id", equalTo(base(VAULT) + "/secrets/get-me/" + second));
        }
        alice(VAULT).when().get("/secrets/get-me/" + first).then().statusCode(200).body("value", equalTo("one"));
        alice(VAULT).when().get("/secrets/get-me/" + first.toUpperCase()).then().statusCode(200);
    }

    @Test
    void a_missing_secret_or_version_is_404_secret_not_found() {
        notFound(alice(VAULT).when().get("/secrets/never-set"), "secret", "never-set");
        set(VAULT, "has-one", "{\"value\":\"v\"}");
        alice(VAULT).when().get("/secrets/has-one/00000000000000000000000000000000").then().statusCode(404)
                .body("error.code", equalTo("SecretNotFound"));
    }

    @Test
    void update_changes_what_it_names_and_answers_without_the_value() {
        String id = set(VAULT, "patch-me", "{\"value\":\"v\",\"contentType\":\"a\",\"tags\":{\"t\":\"1\"}}");
        long exp = Instant.now().getEpochSecond() + 86_400;

        alice(VAULT).contentType(ContentType.JSON)
                .body("{\"attributes\":{\"exp\":" + exp + "},\"tags\":{\"u\":\"2\"}}")
                .when().patch("/secrets/patch-me/" + version(id))
                .then().statusCode(200)
                .body("$", not(hasKey("value")))
                .body("id", equalTo(id))
                .body("contentType", equalTo("a"))
                .body("tags", equalTo(Map.of("u", "2")))
                .body("attributes.exp", equalTo((int) exp));
        alice(VAULT).contentType(ContentType.JSON).body("{\"contentType\":\"b\"}")
                .when().patch("/secrets/patch-me").then().statusCode(200).body("contentType", equalTo("b"));
        alice(VAULT).when().get("/secrets/patch-me").then().statusCode(200)
                .body("value", equalTo("v")).body("contentType", equalTo("b")).body("tags.u", equalTo("2"));
    }

    @Test
    void a_disabled_not_yet_valid_or_expired_secret_is_403_but_can_be_updated_and_listed() {
        long now = Instant.now().getEpochSecond();
        String id = set(VAULT, "off", "{\"value\":\"v\",\"attributes\":{\"enabled\":false}}");
        set(VAULT, "not-yet", "{\"value\":\"v\",\"attributes\":{\"nbf\":" + (now + 3600) + "}}");
        set(VAULT, "too-late", "{\"value\":\"v\",\"attributes\":{\"exp\":" + (now - 60) + "}}");

        alice(VAULT).when().get("/secrets/off").then().statusCode(403)
                .body("error.code", equalTo("Forbidden"))
                .body("error.message", equalTo("Operation get is not allowed on a disabled secret."))
                .body("error.innererror.code", equalTo("SecretDisabled"));
        alice(VAULT).when().get("/secrets/not-yet").then().statusCode(403)
                .body("error.innererror.code", equalTo("SecretNotYetValid"));
        alice(VAULT).when().get("/secrets/too-late").then().statusCode(403)
                .body("error.innererror.code", equalTo("SecretExpired"));
        alice(VAULT).when().get("/secrets/off/versions").then().statusCode(200)
                .body("value[0].attributes.enabled", equalTo(false));

        alice(VAULT).contentType(ContentType.JSON).body("{\"attributes\":{\"enabled\":true}}")
                .when().patch("/secrets/off/" + version(id)).then().statusCode(200);
        alice(VAULT).when().get("/secrets/off").then().statusCode(200).body("value", equalTo("v"));
    }

    @Test
    void lists_page_with_an_absolute_next_link_that_carries_the_api_version_and_is_followed_verbatim() {
        String vault = "pagedsecrets";
        Vaults.put(vault, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all")));
        for (int i = 0; i < 5; i++) {
            set(vault, "item-" + i, "{\"value\":\"v\",\"contentType\":\"c" + i + "\"}");
        }

        List<String> ids = new ArrayList<>();
        JsonPath page = alice(vault).queryParam("maxresults", "2").when().get("/secrets").then().statusCode(200)
                .extract().jsonPath();
        int pages = 1;
        ids.addAll(page.getList("value.id"));
        while (page.getString("nextLink") != null) {
            URI next = URI.create(page.getString("nextLink"));
            assertThat(next.getScheme() + "://" + next.getRawAuthority()).isEqualTo(base(vault));
            assertThat(next.getRawPath()).isEqualTo("/secrets");
            assertThat(next.getRawQuery()).startsWith("api-version=7.5&$skiptoken=").endsWith("&maxresults=2");
            page = Vaults.as(vault, Tokens.ALICE)
                    .urlEncodingEnabled(false)
                    .when().get(next.getRawPath() + "?" + next.getRawQuery()).then().statusCode(200)
                    .extract().jsonPath();
            ids.addAll(page.getList("value.id"));
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(ids).containsExactly(base(vault) + "/secrets/item-0", base(vault) + "/secrets/item-1",
                base(vault) + "/secrets/item-2", base(vault) + "/secrets/item-3", base(vault) + "/secrets/item-4");
        alice(vault).when().get("/secrets").then().statusCode(200)
                .body("value.size()", equalTo(5))
                .body("nextLink", nullValue())
                .body("value[0].contentType", equalTo("c0"))
                .body("value[0].attributes.recoveryLevel", equalTo("Recoverable+Purgeable"))
                .body("value[0]", not(hasKey("value")));
    }

    @Test
    void versions_list_every_version_with_its_id() {
        String first = set(VAULT, "many", "{\"value\":\"1\"}");
        String second = set(VAULT, "many", "{\"value\":\"2\"}");
        String third = set(VAULT, "many", "{\"value\":\"3\"}");

        Response firstPage = alice(VAULT).queryParam("maxresults", "2").when().get("/secrets/many/versions");
        firstPage.then().statusCode(200).body("value.id", equalTo(List.of(first, second)));
        URI next = URI.create(firstPage.path("nextLink"));
        assertThat(next.getRawPath()).isEqualTo("/secrets/many/versions");
        Vaults.as(VAULT, Tokens.ALICE)
                .urlEncodingEnabled(false)
                .when().get(next.getRawPath() + "?" + next.getRawQuery()).then().statusCode(200)
                .body("value.id", equalTo(List.of(third))).body("nextLink", nullValue());
        alice(VAULT).when().get("/secrets/no-such/versions").then().statusCode(404)
                .body("error.code", equalTo("SecretNotFound"));
    }

    @Test
    void delete_is_soft_and_the_deleted_secret_can_be_read_recovered_and_purged() {
        String id = set(VAULT, "soft", "{\"value\":\"v\",\"tags\":{\"t\":\"1\"}}");

        long now = Instant.now().getEpochSecond();
        alice(VAULT).when().delete("/secrets/soft").then().statusCode(200)
                .body("recoveryId", equalTo(base(VAULT) + "/deletedsecrets/soft"))
                .body("deletedDate", org.hamcrest.Matchers.greaterThanOrEqualTo((int) now))
                .body("scheduledPurgeDate", org.hamcrest.Matchers.greaterThanOrEqualTo((int) (now + 90 * 86_400)))
                .body("id", equalTo(id))
                .body("tags.t", equalTo("1"))
                .body("$", not(hasKey("value")));
        alice(VAULT).when().get("/secrets/soft").then().statusCode(404);
        alice(VAULT).when().delete("/secrets/soft").then().statusCode(404);
        alice(VAULT).when().get("/deletedsecrets/soft").then().statusCode(200)
                .body("recoveryId", equalTo(base(VAULT) + "/deletedsecrets/soft")).body("id", equalTo(id));
        alice(VAULT).when().get("/deletedsecrets").then().statusCode(200)
                .body("value.find { it.recoveryId.endsWith('/soft') }.id", equalTo(base(VAULT) + "/secrets/soft"));

        alice(VAULT).contentType(ContentType.JSON).body("{\"value\":\"again\"}").when().put("/secrets/soft")
                .then().statusCode(409)
                .body("error.code", equalTo("Conflict"))
                .body("error.message", equalTo("Secret soft is currently in a deleted but recoverable state, and its "
                        + "name cannot be reused; in this state, the secret can only be recovered or purged."))
                .body("error.innererror.code", equalTo("ObjectIsDeletedButRecoverable"));

        alice(VAULT).when().post("/deletedsecrets/soft/recover").then().statusCode(200)
                .body("id", equalTo(id)).body("$", not(hasKey("value")));
        alice(VAULT).when().get("/secrets/soft/").then().statusCode(200).body("value", equalTo("v"));
        alice(VAULT).when().get("/deletedsecrets/soft").then().statusCode(404).body("error.code",
                equalTo("SecretNotFound"));
        alice(VAULT).when().post("/deletedsecrets/soft/recover").then().statusCode(404);
        alice(VAULT).when().delete("/deletedsecrets/soft").then().statusCode(404);

        alice(VAULT).when().delete("/secrets/soft").then().statusCode(200);
        alice(VAULT).when().delete("/deletedsecrets/soft").then().statusCode(204).body(equalTo(""));
        alice(VAULT).when().get("/deletedsecrets/soft").then().statusCode(404);
        alice(VAULT).contentType(ContentType.JSON).body("{\"value\":\"new life\"}").when().put("/secrets/soft")
                .then().statusCode(200);
    }

    @Test
    void purge_protection_refuses_the_purge() {
        String vault = "protectedsecrets";
        Vaults.put(vault, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all"))
                .replace("\"accessPolicies\"", "\"enablePurgeProtection\":true,\"accessPolicies\""));
        set(vault, "kept", "{\"value\":\"v\"}");
        alice(vault).when().delete("/secrets/kept").then().statusCode(200)
                .body("attributes.recoveryLevel", equalTo("Recoverable"));
        alice(vault).when().delete("/deletedsecrets/kept").then().statusCode(403)
                .body("error.code", equalTo("Forbidden"))
                .body("error.message", org.hamcrest.Matchers.containsString("purge protection is enabled"));
    }

    @Test
    void backup_is_an_opaque_blob_that_restores_every_version_once_the_name_is_free() {
        String first = set(VAULT, "saved", "{\"value\":\"backed-up-value-1\",\"contentType\":\"text/plain\"}");
        String second = set(VAULT, "saved", "{\"value\":\"backed-up-value-2\"}");

        String blob = alice(VAULT).when().post("/secrets/saved/backup").then().statusCode(200)
                .body("value", matchesPattern("[A-Za-z0-9_-]+")).extract().path("value");
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(blob),
                java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("backed-up-value");

        String restoreBody = "{\"value\":\"" + blob + "\"}";
        alice(VAULT).contentType(ContentType.JSON).body(restoreBody).when().post("/secrets/restore")
                .then().statusCode(409).body("error.code", equalTo("Conflict"));
        alice(VAULT).when().delete("/secrets/saved").then().statusCode(200);
        alice(VAULT).contentType(ContentType.JSON).body(restoreBody).when().post("/secrets/restore")
                .then().statusCode(409).body("error.innererror.code", equalTo("ObjectIsDeletedButRecoverable"));
        alice(VAULT).when().delete("/deletedsecrets/saved").then().statusCode(204);

        alice(VAULT).contentType(ContentType.JSON).body(restoreBody).when().post("/secrets/restore")
                .then().statusCode(200)
                .body("id", equalTo(second))
                .body("$", not(hasKey("value")));
        alice(VAULT).when().get("/secrets/saved").then().body("value", equalTo("backed-up-value-2"));
        alice(VAULT).when().get("/secrets/saved/" + version(first)).then().statusCode(200)
                .body("value", equalTo("backed-up-value-1")).body("contentType", equalTo("text/plain"));

        String other = "restoredelsewhere";
        Vaults.put(other, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all")));
        alice(other).contentType(ContentType.JSON).body(restoreBody).when().post("/secrets/restore")
                .then().statusCode(200).body("id", equalTo(base(other) + "/secrets/saved/" + version(second)));
    }

    @Test
    void a_blob_that_was_altered_or_is_not_a_backup_is_400() {
        set(VAULT, "to-tamper", "{\"value\":\"v\"}");
        String blob = alice(VAULT).when().post("/secrets/to-tamper/backup").then().extract().path("value");
        char last = blob.charAt(blob.length() - 2);
        String tampered = blob.substring(0, blob.length() - 2) + (last == 'A' ? 'B' : 'A') + blob.charAt(blob.length() - 1);

        for (String value : List.of(tampered, "bm90IGEgYmFja3Vw", "")) {
            alice(VAULT).contentType(ContentType.JSON)
                    .body("{\"value\":\"" + value + "\"}").when().post("/secrets/restore")
                    .then().statusCode(400).body("error.code", equalTo("BadParameter"));
        }
    }

    @Test
    void malformed_bodies_are_400_naming_the_field_never_500() {
        Map<String, String> bodies = Map.of(
                "", "no body",
                "{not json", "not valid JSON",
                "[1,2]", "must be a JSON object",
                "{\"value\":42}", "'value' must be a string",
                "{}", "no 'value'",
                "{\"value\":\"v\",\"attributes\":{\"enabled\":\"yes\"}}", "'attributes.enabled' must be true or false",
                "{\"value\":\"v\",\"attributes\":{\"exp\":\"tomorrow\"}}", "'attributes.exp' must be a time",
                "{\"value\":\"v\",\"tags\":{\"a\":1}}", "Tag 'a' must have a string value",
                "{\"value\":\"v\",\"contentType\":[]}", "'contentType' must be a string",
                "{\"value\":\"v\",\"attributes\":{\"nbf\":200,\"exp\":100}}", "is not after attributes.nbf");
        bodies.forEach((body, message) -> alice(VAULT).contentType(ContentType.JSON).body(body)
                .when().put("/secrets/malformed")
                .then().statusCode(400)
                .body("error.code", equalTo("BadParameter"))
                .body("error.message", org.hamcrest.Matchers.containsString(message)));
    }
}
