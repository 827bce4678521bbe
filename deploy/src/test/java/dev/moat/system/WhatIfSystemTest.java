package dev.moat.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * Changing the firewall without locking anyone out, against the real processes of the local stack: the what-if of a
 * rule set over the traffic the audit trail holds, its refusal of invalid rules (the very answer of a real update),
 * and an audit-only (staged) rule set that is recorded beside the enforced one, listed where it differs, and then
 * promoted. Client addresses come through {@code X-Forwarded-For}, which the local stack trusts from loopback.
 */
class WhatIfSystemTest extends OnLocalStack {

    private static final String VNET = "Microsoft.Network/virtualNetworks/whatifnet";
    private static final String SUBNET_ID =
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/whatifnet/subnets/apps";
    private static final String TRUSTED = "TRUSTED_AZURE_BACKUP";
    private static final String KEPT_1 = "203.0.113.10";
    private static final String DROPPED = "198.51.100.20";
    private static final String KEPT_2 = "203.0.113.30";
    private static final String IN_SUBNET = "10.60.1.7";
    private static final String SERVICE_ADDRESS = "52.1.2.3";


    @BeforeAll
    static void startStack() throws Exception {
        start(LocalStack.up("what-if-stack", "--trust-loopback-proxy"));
        client.armPut(VNET, """
                {"location":"local","properties":{"addressSpace":{"addressPrefixes":["10.60.0.0/16"]},
                 "subnets":[{"name":"apps","properties":{"addressPrefix":"10.60.1.0/24",
                   "serviceEndpoints":[{"service":"Microsoft.KeyVault"}]}}]}}
                """).statusCode(201);
    }

    private static String acls(String bypass, String... ipRules) {
        String ips = java.util.Arrays.stream(ipRules).map(ip -> "{\"value\":\"" + ip + "\"}")
                .collect(Collectors.joining(","));
        return "{\"defaultAction\":\"Deny\",\"bypass\":\"" + bypass + "\",\"ipRules\":[" + ips + "],"
                + "\"virtualNetworkRules\":[{\"id\":\"" + SUBNET_ID + "\"}]}";
    }

    /** {@code count} reads of a missing secret (404: both checks passed) from {@code address}; their decision ids. */
    private static List<String> traffic(String vault, String address, String token, int count, int expectedStatus) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(client.secretGet(vault, address, token).then().statusCode(expectedStatus)
                    .extract().header("x-moat-decision-id"));
        }
        return ids;
    }

    private static ValidatableResponse whatIf(String vault, String networkAcls) {
        return client.audit().contentType("application/json").body("{\"networkAcls\":" + networkAcls + "}")
                .post(stack.auditUrl() + "/api/v1/vaults/" + vault + "/what-if").then();
    }

    private static Response vaultPatch(String vault, String properties) {
        return given().auth().oauth2(client.managementToken("ADMIN")).contentType("application/json")
                .body("{\"properties\":" + properties + "}")
                .patch(stack.managementUrl() + "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/"
                        + vault + "?api-version=2023-02-01");
    }

    @Test
    void what_if_lists_exactly_the_dropped_address_and_the_trusted_service_as_newly_denied_with_their_counts() {
        String rules = acls("AzureServices", KEPT_1, DROPPED, KEPT_2);
        client.putVault("whatifvault", rules, Map.of("APP", "\"get\"", TRUSTED, "\"get\"")).statusCode(201);
        String app = client.dataToken("APP");
        String backup = client.dataToken(TRUSTED);
        List<String> ids = new ArrayList<>();
        ids.addAll(traffic("whatifvault", KEPT_1, app, 3, 404));
        ids.addAll(traffic("whatifvault", DROPPED, app, 2, 404));
        ids.addAll(traffic("whatifvault", KEPT_2, app, 4, 404));
        ids.addAll(traffic("whatifvault", IN_SUBNET, app, 2, 404));
        ids.addAll(traffic("whatifvault", SERVICE_ADDRESS, backup, 3, 404));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> client.auditCount("whatifvault") == ids.size());

        Response answer = whatIf("whatifvault", acls("None", KEPT_1, KEPT_2)).statusCode(200).extract().response();

        assertThat(answer.jsonPath().getInt("origins")).isEqualTo(5);
        assertThat(answer.jsonPath().getInt("unchanged")).isEqualTo(3);
        assertThat(answer.jsonPath().getList("newlyAllowed")).isEmpty();
        List<Map<String, Object>> denied = answer.jsonPath().getList("newlyDenied");
        assertThat(denied).hasSize(2);
        Map<String, Object> service = denied.get(0);
        assertThat(service.get("clientAddress")).isEqualTo(SERVICE_ADDRESS);
        assertThat(service.get("requests")).isEqualTo(3);
        assertThat(service.get("trustedService")).isNotNull();
        assertThat(answer.jsonPath().getString("newlyDenied[0].before.addressAuthorizationType")).isEqualTo("TrustedService");
        assertThat(answer.jsonPath().getString("newlyDenied[0].after.addressAuthorizationType")).isEqualTo("Denied");
        assertThat(answer.jsonPath().getString("newlyDenied[0].callers[0].applicationId"))
                .isEqualTo(client.credential("MOAT_" + TRUSTED + "_CLIENT_ID"));
        Map<String, Object> address = denied.get(1);
        assertThat(address.get("clientAddress")).isEqualTo(DROPPED);
        assertThat(address.get("requests")).isEqualTo(2);
        assertThat(address.get("trustedService")).isNull();
        assertThat(answer.jsonPath().getString("newlyDenied[1].before.rule")).isEqualTo(DROPPED);
        assertThat(answer.jsonPath().getList("newlyDenied[1].operations")).containsExactly("SecretGet");

        // nothing was applied: the dropped address and the service are still served
        client.secretGet("whatifvault", DROPPED, app).then().statusCode(404);
        client.secretGet("whatifvault", SERVICE_ADDRESS, backup).then().statusCode(404);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a /31 range", "an RFC 1918 range", "128 IP rules"})
    void what_if_refuses_an_invalid_rule_set_with_the_very_answer_of_a_real_update(String what) {
        String rules = switch (what) {
            case "a /31 range" -> acls("None", "203.0.113.0/31");
            case "an RFC 1918 range" -> acls("None", "192.168.10.0/24");
            default -> acls("None", IntStream.range(0, 128).mapToObj(i -> "203.0." + (i / 100) + "." + (i % 100 + 1))
                    .toArray(String[]::new));
        };
        client.putVault("refusedvault", acls("None", KEPT_1), Map.of("APP", "\"get\"")).statusCode(
                org.hamcrest.Matchers.oneOf(200, 201));

        Response update = given().auth().oauth2(client.managementToken("ADMIN")).contentType("application/json")
                .body("{\"properties\":{\"networkAcls\":" + rules + "}}")
                .patch(stack.managementUrl()
                        + "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/refusedvault"
                        + "?api-version=2023-02-01");
        Response whatIf = whatIf("refusedvault", rules).extract().response();

        assertThat(update.statusCode()).isEqualTo(400);
        assertThat(whatIf.statusCode()).isEqualTo(update.statusCode());
        assertThat(whatIf.jsonPath().getString("error.code")).isEqualTo(update.jsonPath().getString("error.code"));
        assertThat(whatIf.jsonPath().getString("error.message")).isNotBlank()
                .isEqualTo(update.jsonPath().getString("error.message"));
    }

    @Test
    void a_stricter_staged_rule_set_refuses_no_one_is_listed_where_it_differs_and_is_enforced_within_a_second_of_promotion() {
        client.putVault("stagedvault", acls("None", KEPT_1, DROPPED), Map.of("APP", "\"get\"")).statusCode(201);
        vaultPatch("stagedvault", "{\"moatStagedNetworkAcls\":" + acls("None", KEPT_1) + "}").then().statusCode(200)
                .body("properties.moatStagedNetworkAcls.ipRules.size()", equalTo(1));
        String app = client.dataToken("APP");

        List<String> kept = traffic("stagedvault", KEPT_1, app, 2, 404);
        List<String> wouldBeRefused = traffic("stagedvault", DROPPED, app, 3, 404);
        List<String> subnet = traffic("stagedvault", IN_SUBNET, app, 1, 404);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> client.auditCount("stagedvault") == kept.size() + wouldBeRefused.size() + subnet.size());

        Response differing = client.audit().get(stack.auditUrl() + "/api/v1/decisions?vault=stagedvault&stagedDiffers=true");
        differing.then().statusCode(200);
        Set<String> listed = new HashSet<>(differing.jsonPath().getList("value.eventId"));
        assertThat(listed).isEqualTo(Set.copyOf(wouldBeRefused));
        assertThat(differing.jsonPath().getList("value.staged.addressAuthorizationType")).containsOnly("Denied");
        assertThat(differing.jsonPath().getList("value.addressAuthorizationType")).containsOnly("IpRule");

        given().auth().oauth2(client.managementToken("ADMIN"))
                .post(stack.managementUrl() + "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/"
                        + "stagedvault/promoteStagedNetworkAcls?api-version=2023-02-01")
                .then().statusCode(200).body("properties.networkAcls.ipRules.size()", equalTo(1));
        long promoted = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> client.secretGet("stagedvault", DROPPED, app).statusCode() == 403);
        assertThat(Duration.ofNanos(System.nanoTime() - promoted)).isLessThan(Duration.ofSeconds(1));
        client.secretGet("stagedvault", KEPT_1, app).then().statusCode(404);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> client.audit()
                .get(stack.auditUrl() + "/api/v1/changes?vault=stagedvault&kind=NetworkRuleSet")
                .jsonPath().getList("value.operation").contains("PromoteStagedNetworkRuleSet"));
    }
}
