package dev.moat.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The source document's scenarios against the real processes of the local stack: IP rules, a subnet with the
 * Key Vault service endpoint, trusted services with and without bypass, and what happens when policy-service or
 * Kafka stops. Client addresses come through {@code X-Forwarded-For}, which the stack believes from loopback only because it is
 * started with {@code --trust-loopback-proxy}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataPlaneSystemTest extends OnLocalStack {

    private static final String VNET = "Microsoft.Network/virtualNetworks/corp";
    private static final String SUBNET_ID =
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/corp/subnets/apps";
    private static final String TRUSTED = "TRUSTED_AZURE_BACKUP";


    @BeforeAll
    static void startStack() throws Exception {
        start(LocalStack.up("data-plane-stack", "--trust-loopback-proxy"));
    }

    @Test
    @Order(1)
    void an_ip_rule_admits_its_range_and_the_firewall_refuses_everyone_else() {
        client.putVault("ipvault", "{\"defaultAction\":\"Deny\",\"bypass\":\"None\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}",
                Map.of("APP", "\"get\",\"set\"")).statusCode(201);
        String app = client.dataToken("APP");

        client.onVault("ipvault", "203.0.113.9", app).contentType("application/json").body("{\"value\":\"s3cr3t-value\"}")
                .put(stack.vaultUrl() + "/secrets/db-password" + StackClient.API).then().statusCode(200);
        client.secretGet("ipvault", "203.0.113.9", app).then().statusCode(200).body("value", equalTo("s3cr3t-value"));
        client.secretGet("ipvault", "198.51.100.9", app).then().statusCode(403)
                .body("error.code", equalTo("Forbidden"))
                .body("error.innererror.code", equalTo("ForbiddenByFirewall"));
    }

    @Test
    @Order(2)
    void a_subnet_with_the_key_vault_endpoint_admits_its_addresses_until_the_endpoint_is_disabled() {
        client.armPut(VNET, network("{\"service\":\"Microsoft.KeyVault\"}")).statusCode(201);
        client.putVault("netvault", "{\"defaultAction\":\"Deny\",\"bypass\":\"None\",\"virtualNetworkRules\":[{\"id\":\""
                + SUBNET_ID + "\"}]}", Map.of("APP", "\"get\"")).statusCode(201);
        String app = client.dataToken("APP");

        client.secretGet("netvault", "10.50.1.7", app).then().statusCode(404).body("error.code", equalTo("SecretNotFound"));
        client.secretGet("netvault", "10.50.2.7", app).then().statusCode(403);

        client.armPut(VNET, network("")).statusCode(200);

        client.secretGet("netvault", "10.50.1.7", app).then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByFirewall"));
    }

    @Test
    @Order(3)
    void a_trusted_service_passes_the_firewall_only_under_bypass_and_still_needs_an_access_policy() {
        String acls = "{\"defaultAction\":\"Deny\",\"bypass\":\"%s\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}";
        client.putVault("trustvault", acls.formatted("AzureServices"), Map.of("APP", "\"get\"")).statusCode(201);
        String backup = client.dataToken(TRUSTED);

        client.secretGet("trustvault", "52.1.2.3", backup).then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByPolicy"));

        client.putVault("trustvault", acls.formatted("AzureServices"), Map.of("APP", "\"get\"", TRUSTED, "\"get\""))
                .statusCode(200);
        client.secretGet("trustvault", "52.1.2.3", backup).then().statusCode(404);

        client.putVault("trustvault", acls.formatted("None"), Map.of("APP", "\"get\"", TRUSTED, "\"get\""))
                .statusCode(200);
        client.secretGet("trustvault", "52.1.2.3", backup).then().statusCode(403)
                .body("error.innererror.code", equalTo("ForbiddenByFirewall"));
    }

    @Test
    @Order(4)
    void without_policy_service_the_data_plane_fails_closed_and_recovers_without_a_restart() throws Exception {
        client.putVault("closedvault", "{\"defaultAction\":\"Allow\"}", Map.of("APP", "\"get\"")).statusCode(201);
        String app = client.dataToken("APP");
        long vaultPid = stack.pids().get("vault-service");
        LocalStack.Launch policy = stack.launchOf("policy-service");

        stack.stop("policy-service", false);
        client.secretGet("closedvault", "203.0.113.9", app).then().statusCode(503)
                .body("error.code", equalTo("ServiceUnavailable"));

        stack.start(policy);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.secretGet("closedvault", "203.0.113.9", app).statusCode(), equalTo(404));
        assertThat(stack.pids().get("vault-service")).isEqualTo(vaultPid);
    }

    @Test
    @Order(5)
    void stopping_kafka_for_thirty_seconds_loses_no_decision_event() throws Exception {
        client.putVault("kafkavault", "{\"defaultAction\":\"Allow\"}", Map.of("APP", "\"get\"")).statusCode(201);
        String app = client.dataToken("APP");
        LocalStack.Launch kafka = stack.launchOf("kafka");
        List<String> ids = new ArrayList<>();
        ids.add(client.secretGet("kafkavault", "203.0.113.9", app).then().statusCode(404)
                .extract().header("x-moat-decision-id"));

        stack.stop("kafka", false);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            ids.add(client.secretGet("kafkavault", "203.0.113.9", app).then().statusCode(404)
                    .extract().header("x-moat-decision-id"));
        }
        stack.start(kafka);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> client.auditCount("kafkavault"), equalTo(ids.size()));
        assertThat(ids).doesNotHaveDuplicates();
        for (String id : List.of(ids.get(0), ids.get(ids.size() / 2), ids.get(ids.size() - 1))) {
            client.auditEvent(id).body("vault", equalTo("kafkavault"));
        }
    }

    private static String network(String endpoint) {
        return """
                {"location":"local","properties":{"addressSpace":{"addressPrefixes":["10.50.0.0/16"]},
                 "subnets":[{"name":"apps","properties":{"addressPrefix":"10.50.1.0/24","serviceEndpoints":[%s]}}]}}
                """.formatted(endpoint);
    }
}
