package dev.moat.vault.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.TestHttps;
import dev.moat.vault.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The ARM calls the Azure CLI makes around vaults: cloud metadata, subscriptions, resource groups, managed HSMs. */
@QuarkusTest
class ArmCompatibilityTest implements FreshPolicyService {

    private static final String SUB = "/subscriptions/sub-arm";

    private static RequestSpecification as(String objectId) {
        return given().header("Authorization", Tokens.management().objectId(objectId).bearer())
                .contentType(ContentType.JSON);
    }

    @Test
    void the_cloud_metadata_names_the_adfs_authority_the_management_audience_and_the_vault_suffix() {
        String bare = "https://localhost:" + RestAssured.port;
        given().when().get("/metadata/endpoints?api-version=2022-09-01")
                .then().statusCode(200)
                .body("resourceManager", equalTo(bare + "/"))
                .body("authentication.loginEndpoint", equalTo(bare + "/adfs"))
                .body("authentication.audiences[0]", equalTo("https://management.localhost"))
                .body("authentication.identityProvider", equalTo("ADFS"))
                .body("graphEndpoint", org.hamcrest.Matchers.notNullValue())
                .body("suffixes.keyVaultDns", equalTo("vault.localhost:" + RestAssured.port));
        given().when().get("/metadata/endpoints?api-version=2019-05-01")
                .then().statusCode(200).body("[0].name", equalTo("Moat"));
    }

    /** A resource-manager URL with a trailing '/' makes the CLI ask for '//metadata/endpoints'. */
    @Test
    void the_cloud_metadata_answers_with_a_doubled_slash_too() throws Exception {
        var tls = TestHttps.sslContext("TLS");
        var response = java.net.http.HttpClient.newBuilder().sslContext(tls).build().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://localhost:" + RestAssured.port
                        + "//metadata/endpoints?api-version=2022-09-01")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThat(response.body()).contains("\"loginEndpoint\"");
    }

    @Test
    void the_cloud_metadata_needs_an_api_version() {
        given().when().get("/metadata/endpoints").then().statusCode(400)
                .body("error.code", equalTo("MissingApiVersionParameter"));
    }

    @Test
    void subscriptions_list_the_configured_one_in_the_callers_tenant() {
        as(Tokens.ALICE).when().get("/subscriptions?api-version=2022-12-01")
                .then().statusCode(200)
                .body("value", hasSize(1))
                .body("value[0].subscriptionId", equalTo("00000000-0000-0000-0000-000000000001"))
                .body("value[0].id", equalTo("/subscriptions/00000000-0000-0000-0000-000000000001"))
                .body("value[0].tenantId", equalTo(Tokens.TENANT))
                .body("value[0].state", equalTo("Enabled"));
        as(Tokens.ALICE).when().get("/subscriptions/00000000-0000-0000-0000-000000000001?api-version=2022-12-01")
                .then().statusCode(200).body("displayName", equalTo("Moat"));
        given().when().get("/subscriptions?api-version=2022-12-01").then().statusCode(401);
    }

    @Test
    void a_resource_group_is_created_read_listed_and_deleted_and_keeps_its_location() {
        String group = SUB + "/resourcegroups/Rg-Life?api-version=2022-09-01";
        as(Tokens.ADMIN).body("{\"location\":\"West Europe\",\"tags\":{\"team\":\"a\"}}").when().put(group)
                .then().statusCode(201)
                .body("id", equalTo("/subscriptions/sub-arm/resourceGroups/Rg-Life"))
                .body("type", equalTo("Microsoft.Resources/resourceGroups"))
                .body("location", equalTo("westeurope"))
                .body("properties.provisioningState", equalTo("Succeeded"));
        as(Tokens.ADMIN).body("{\"location\":\"westeurope\",\"tags\":{\"team\":\"b\"}}")
                .when().put(SUB + "/resourceGroups/rg-life?api-version=2022-09-01")
                .then().statusCode(200).body("name", equalTo("Rg-Life")).body("tags.team", equalTo("b"));
        as(Tokens.ADMIN).body("{\"location\":\"eastus\"}").when().put(group)
                .then().statusCode(409).body("error.code", equalTo("InvalidResourceGroupLocation"))
                .body("error.message", containsString("'westeurope'"));
        as(Tokens.ALICE).when().get(group).then().statusCode(200).body("location", equalTo("westeurope"));
        as(Tokens.ALICE).when().get(SUB + "/resourcegroups?api-version=2022-09-01")
                .then().statusCode(200).body("value.name", hasItem("Rg-Life"));

        as(Tokens.ALICE).when().delete(group).then().statusCode(403).body("error.code", equalTo("AuthorizationFailed"));
        as(Tokens.ADMIN).when().delete(group).then().statusCode(200);
        as(Tokens.ADMIN).when().get(group).then().statusCode(404).body("error.code", equalTo("ResourceGroupNotFound"))
                .body("error.message", equalTo("Resource group 'Rg-Life' could not be found."));
        as(Tokens.ADMIN).when().delete(group).then().statusCode(204);
    }

    @Test
    void a_vault_and_a_network_created_in_a_group_without_a_location_take_the_groups() {
        as(Tokens.ADMIN).body("{\"location\":\"northeurope\"}")
                .when().put(SUB + "/resourcegroups/rg-loc?api-version=2022-09-01").then().statusCode(201);
        as(Tokens.ADMIN).body("{\"properties\":{\"tenantId\":\"" + Tokens.TENANT
                + "\",\"sku\":{\"family\":\"A\",\"name\":\"standard\"},\"accessPolicies\":[]}}")
                .when().put(SUB + "/resourceGroups/rg-loc/providers/Microsoft.KeyVault/vaults/locvault"
                        + "?api-version=2022-07-01")
                .then().statusCode(201).body("location", equalTo("northeurope"))
                .body("properties.provisioningState", equalTo("Succeeded"));
        as(Tokens.ADMIN).body("{\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.9.0.0/16\"]}}}")
                .when().put(SUB + "/resourceGroups/rg-loc/providers/Microsoft.Network/virtualNetworks/locnet"
                        + "?api-version=2022-01-01")
                .then().statusCode(201).body("location", equalTo("northeurope"));

        as(Tokens.ADMIN).when().delete(SUB + "/resourcegroups/rg-loc?api-version=2022-09-01")
                .then().statusCode(409).body("error.code", equalTo("ResourceGroupNotEmpty"));
        as(Tokens.ADMIN).body("{\"properties\":{\"tenantId\":\"" + Tokens.TENANT
                + "\",\"sku\":{\"family\":\"A\",\"name\":\"standard\"},\"accessPolicies\":[]}}")
                .when().put(SUB + "/resourceGroups/no-such-group/providers/Microsoft.KeyVault/vaults/locvault2"
                        + "?api-version=2022-07-01")
                .then().statusCode(400).body("error.message", containsString("'location'"));
    }

    static Stream<Arguments> badGroups() {
        return Stream.of(
                Arguments.of("rg-bad", "{}", "LocationRequired", "got none"),
                Arguments.of("rg-bad", "{\"location\":\"west/europe\"}", "LocationRequired", "'\"west/europe\"'"),
                Arguments.of("rg-bad", "{\"location\":\"westus\",\"tags\":[1]}", "InvalidTagsFormat", "'tags'"),
                Arguments.of("rg-bad", "{\"location\":\"westus\",\"tags\":{\"t\":1}}", "InvalidTagValueLength",
                        "tag 't'"),
                Arguments.of("rg-bad.", "{\"location\":\"westus\"}", "InvalidResourceGroup", "'rg-bad.'"),
                Arguments.of("rg-bad", "[1", "InvalidRequestContent", "could not be deserialized"));
    }

    @ParameterizedTest(name = "{2}: {1}")
    @MethodSource("badGroups")
    void a_bad_resource_group_is_a_400_naming_the_value_and_the_rule(String name, String body, String code,
            String names) {
        as(Tokens.ADMIN).body(body).when().put(SUB + "/resourcegroups/" + name + "?api-version=2022-09-01")
                .then().statusCode(400).body("error.code", equalTo(code))
                .body("error.message", containsString(names));
        as(Tokens.ADMIN).when().get(SUB + "/resourcegroups/rg-bad?api-version=2022-09-01").then().statusCode(404);
    }

    @Test
    void managed_hsm_lists_are_empty() {
        as(Tokens.ALICE).when().get(SUB + "/providers/Microsoft.KeyVault/managedHSMs?api-version=2022-07-01")
                .then().statusCode(200).body("value", empty());
        as(Tokens.ALICE).when().get(SUB + "/resourceGroups/rg/providers/Microsoft.KeyVault/managedHSMs"
                + "?api-version=2022-07-01").then().statusCode(200).body("value", empty());
    }
}
