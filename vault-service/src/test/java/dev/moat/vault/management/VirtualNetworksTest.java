package dev.moat.vault.management;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class VirtualNetworksTest implements FreshPolicyService {

    private static final String NETWORK = "/subscriptions/sub-net/resourceGroups/rg-net/providers/Microsoft.Network/"
            + "virtualNetworks/";
    private static final String API = "?api-version=2023-09-01";

    private static RequestSpecification as(String objectId) {
        return given().header("Authorization", Tokens.management().objectId(objectId).bearer())
                .contentType(ContentType.JSON);
    }

    private static String network(String endpoint) {
        return """
                {"location":"westeurope","tags":{"team":"net"},
                 "properties":{"addressSpace":{"addressPrefixes":["10.1.0.0/16"]},
                  "subnets":[{"name":"apps","properties":{"addressPrefix":"10.1.1.0/24",
                    "serviceEndpoints":[%s]}}]}}
                """.formatted(endpoint);
    }

    @Test
    void a_network_put_with_a_key_vault_endpoint_is_what_get_returns_and_a_vault_rule_can_name_its_subnet()
            throws Exception {
        String created = as(Tokens.ADMIN).body(network("{\"service\":\"Microsoft.KeyVault\"}"))
                .when().put(NETWORK + "vnet1" + API)
                .then().statusCode(201)
                .body("id", equalTo(NETWORK + "vnet1"))
                .body("type", equalTo("Microsoft.Network/virtualNetworks"))
                .body("location", equalTo("westeurope"))
                .body("properties.addressSpace.addressPrefixes[0]", equalTo("10.1.0.0/16"))
                .body("properties.subnets[0].id", equalTo(NETWORK + "vnet1/subnets/apps"))
                .body("properties.subnets[0].properties.addressPrefix", equalTo("10.1.1.0/24"))
                .body("properties.subnets[0].properties.serviceEndpoints[0].service", equalTo("Microsoft.KeyVault"))
                .extract().asString();
        ObjectMapper json = new ObjectMapper();
        JsonNode read = json.readTree(as(Tokens.ADMIN).when().get(NETWORK + "vnet1" + API).then().statusCode(200)
                .extract().asString());
        assertThat(read).isEqualTo(json.readTree(created));
        as(Tokens.ADMIN).body(read.toString()).when().put(NETWORK + "vnet1" + API).then().statusCode(200);

        // step 3 of the source document: a vault rule naming the subnet is now accepted
        as(Tokens.ALICE).body("{\"location\":\"westeurope\",\"properties\":{\"tenantId\":\"" + Tokens.TENANT
                + "\",\"sku\":{\"family\":\"A\",\"name\":\"standard\"},\"networkAcls\":{\"defaultAction\":\"Deny\","
                + "\"virtualNetworkRules\":[{\"id\":\"" + NETWORK + "vnet1/subnets/apps\"}]}}}")
                .when().put("/subscriptions/sub-net/resourceGroups/rg-net/providers/Microsoft.KeyVault/vaults/"
                        + "subnetvault?api-version=2023-02-01")
                .then().statusCode(201)
                .body("properties.networkAcls.virtualNetworkRules[0].id", equalTo(NETWORK + "vnet1/subnets/apps"));

        as(Tokens.ADMIN).when().delete(NETWORK + "vnet1" + API).then().statusCode(200);
        as(Tokens.ADMIN).when().get(NETWORK + "vnet1" + API).then().statusCode(404)
                .body("error.code", equalTo("ResourceNotFound"));
        as(Tokens.ADMIN).when().delete(NETWORK + "vnet1" + API).then().statusCode(204);
    }

    @Test
    void enabling_the_key_vault_endpoint_on_one_subnet_as_the_azure_cli_does_keeps_the_rest_of_the_network() {
        as(Tokens.ADMIN).body(network("")).when().put(NETWORK + "vnet5" + API).then().statusCode(201);
        as(Tokens.ADMIN).body("{\"properties\":{\"addressPrefix\":\"10.1.2.0/24\"}}")
                .when().put(NETWORK + "vnet5/subnets/data" + API).then().statusCode(201)
                .body("id", equalTo(NETWORK + "vnet5/subnets/data"));

        as(Tokens.ADMIN).body("{\"properties\":{\"addressPrefix\":\"10.1.1.0/24\",\"serviceEndpoints\":"
                + "[{\"service\":\"Microsoft.KeyVault\"}]}}")
                .when().put(NETWORK + "vnet5/subnets/apps" + API)
                .then().statusCode(200)
                .body("properties.serviceEndpoints[0].service", equalTo("Microsoft.KeyVault"));

        as(Tokens.ADMIN).when().get(NETWORK + "vnet5/subnets/apps" + API).then().statusCode(200)
                .body("properties.addressPrefix", equalTo("10.1.1.0/24"));
        as(Tokens.ADMIN).when().get(NETWORK + "vnet5" + API).then().statusCode(200)
                .body("properties.subnets.name", org.hamcrest.Matchers.containsInAnyOrder("apps", "data"));
        as(Tokens.ADMIN).when().get(NETWORK + "vnet5/subnets/none" + API).then().statusCode(404);
        as(Tokens.ALICE).when().get(NETWORK + "vnet5/subnets/apps" + API).then().statusCode(403);
    }

    @Test
    void a_network_policy_service_refuses_is_a_400_with_its_message_and_nothing_is_stored() {
        PolicyServiceDouble.adminFailure = io.grpc.Status.INVALID_ARGUMENT.withDescription(
                "subnets[0].addressPrefix: '192.168.0.0/24' is not inside the network's address space");
        try {
            as(Tokens.ADMIN).body(network("").replace("10.1.1.0/24", "192.168.0.0/24"))
                    .when().put(NETWORK + "vnet2" + API)
                    .then().statusCode(400)
                    .body("error.code", equalTo("BadRequest"))
                    .body("error.message", containsString("'192.168.0.0/24' is not inside"));
        } finally {
            PolicyServiceDouble.adminFailure = null;
        }
        as(Tokens.ADMIN).when().get(NETWORK + "vnet2" + API).then().statusCode(404);
    }

    @Test
    void malformed_network_input_is_a_400_naming_the_field() {
        as(Tokens.ADMIN).body("{\"location\":\"x\",\"properties\":{}}").when().put(NETWORK + "vnet3" + API)
                .then().statusCode(400).body("error.message", containsString("addressPrefixes"));
        as(Tokens.ADMIN).body("{\"properties\":{}}").when().put(NETWORK + "vnet3" + API)
                .then().statusCode(400).body("error.message", containsString("'location'"));
        as(Tokens.ADMIN).body("{nope").when().put(NETWORK + "vnet3" + API)
                .then().statusCode(400).body("error.code", equalTo("InvalidRequestContent"));
        as(Tokens.ADMIN).body(network("{\"service\":42}")).when().put(NETWORK + "vnet3" + API)
                .then().statusCode(400).body("error.message", containsString("serviceEndpoints[0].service"));
    }

    @Test
    void only_administrators_manage_virtual_networks() {
        as(Tokens.ALICE).body(network("")).when().put(NETWORK + "vnet4" + API)
                .then().statusCode(403).body("error.code", equalTo("AuthorizationFailed"));
        as(Tokens.ALICE).when().get(NETWORK + "vnet4" + API).then().statusCode(403);
        as(Tokens.ALICE).when().delete(NETWORK + "vnet4" + API).then().statusCode(403);
        assertThat(PolicyServiceDouble.networks).doesNotContainKey((NETWORK + "vnet4").toLowerCase());
        given().when().get(NETWORK + "vnet4" + API).then().statusCode(401);
    }

    @Test
    void networks_are_listed_per_subscription_and_resource_group_to_readers_and_administrators() {
        as(Tokens.ADMIN).body(network("{\"service\":\"Microsoft.KeyVault\"}")).when().put(NETWORK + "listed" + API)
                .then().statusCode(201);
        for (String reader : new String[] {Tokens.ADMIN, Tokens.READER}) {
            as(reader).when().get("/subscriptions/sub-net/providers/Microsoft.Network/virtualNetworks" + API)
                    .then().statusCode(200).body("value.id", org.hamcrest.Matchers.hasItem(NETWORK + "listed"))
                    .body("value.find { it.name == 'listed' }.properties.subnets[0].properties.serviceEndpoints[0]"
                            + ".service", equalTo("Microsoft.KeyVault"));
            as(reader).when().get("/subscriptions/sub-net/resourceGroups/rg-net/providers/Microsoft.Network/"
                    + "virtualNetworks" + API).then().statusCode(200)
                    .body("value.id", org.hamcrest.Matchers.hasItem(NETWORK + "listed"));
        }
        as(Tokens.ADMIN).when().get("/subscriptions/other/providers/Microsoft.Network/virtualNetworks" + API)
                .then().statusCode(200).body("value.id", org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.hasItem(NETWORK + "listed")));
        as(Tokens.ALICE).when().get("/subscriptions/sub-net/providers/Microsoft.Network/virtualNetworks" + API)
                .then().statusCode(403);
        // a reader reads a network but does not change it
        as(Tokens.READER).when().get(NETWORK + "listed" + API).then().statusCode(200);
        as(Tokens.READER).body(network("")).when().put(NETWORK + "listed" + API).then().statusCode(403);
    }
}
