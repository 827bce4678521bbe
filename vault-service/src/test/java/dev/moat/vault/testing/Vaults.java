package dev.moat.vault.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Creates vaults through the management plane, as a user would, for tests of the data plane. */
public final class Vaults {

    public static final String SUBSCRIPTION = "sub-1";
    public static final String GROUP = "rg-1";

    private Vaults() {
    }

    public static String path(String name) {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + GROUP + "/providers/Microsoft.KeyVault/vaults/"
                + name + "?api-version=2023-02-01";
    }

    /** A vault body with the given access policy entries (JSON objects) and no network rules. */
    public static String body(String... accessPolicies) {
        return "{\"location\":\"westeurope\",\"properties\":{\"tenantId\":\"" + Tokens.TENANT + "\","
                + "\"sku\":{\"family\":\"A\",\"name\":\"standard\"},\"accessPolicies\":[" + String.join(",", accessPolicies)
                + "]}}";
    }

    /** An access policy entry granting secret permissions to an object id. */
    public static String secretsPolicy(String objectId, String... permissions) {
        return "{\"tenantId\":\"" + Tokens.TENANT + "\",\"objectId\":\"" + objectId + "\",\"permissions\":{\"secrets\":[\""
                + String.join("\",\"", permissions) + "\"]}}";
    }

    /** An access policy entry granting permissions of one category ({@code keys}, {@code certificates}, …). */
    public static String policy(String objectId, String category, String... permissions) {
        return "{\"tenantId\":\"" + Tokens.TENANT + "\",\"objectId\":\"" + objectId + "\",\"permissions\":{\""
                + category + "\":[\"" + String.join("\",\"", permissions) + "\"]}}";
    }

    /** Creates or replaces a vault as the administrator. */
    public static void put(String name, String body) {
        given().header("Authorization", Tokens.management().objectId(Tokens.ADMIN).bearer())
                .contentType(ContentType.JSON).body(body)
                .when().put(path(name))
                .then().log().ifValidationFails().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                        org.hamcrest.Matchers.is(201)));
    }

    /** A data-plane request on the vault's host as {@code objectId} (a data-plane token), at {@code apiVersion}. */
    public static RequestSpecification as(String vault, String objectId, String apiVersion) {
        return as(vault, objectId).queryParam("api-version", apiVersion);
    }

    /** The same with no api-version yet (the test gives its own, or none). */
    public static RequestSpecification as(String vault, String objectId) {
        return given().header("Host", host(vault))
                .header("Authorization", Tokens.dataPlane().objectId(objectId).bearer());
    }

    public static String host(String name) {
        return name + ".vault.localhost:" + io.restassured.RestAssured.port;
    }
}
