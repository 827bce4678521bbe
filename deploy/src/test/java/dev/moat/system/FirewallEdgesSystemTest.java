package dev.moat.system;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.restassured.response.Response;

/**
 * The firewall's edges through the real stack ({@code deploy/moat up --trust-loopback-proxy}): IPv6 clients are
 * decided and audited, never a 503; and invalid {@code networkAcls} put through ARM reach the real policy-service,
 * whose own messages come back as 400s, one row per rule of the source document.
 */
class FirewallEdgesSystemTest extends OnLocalStack {

    private static final String IPV6_CLIENT = "2001:db8::1";
    private static final String VNET = "Microsoft.Network/virtualNetworks/edges";
    private static final String SUBNET_ID =
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/edges/subnets/";


    @BeforeAll
    static void startStack() throws Exception {
        start(LocalStack.up("firewall-edges-stack", "--trust-loopback-proxy"));
        client.armPut(VNET, """
                {"location":"local","properties":{"addressSpace":{"addressPrefixes":["10.60.0.0/16"]},
                 "subnets":[{"name":"with-endpoint","properties":{"addressPrefix":"10.60.1.0/24",
                   "serviceEndpoints":[{"service":"Microsoft.KeyVault"}]}},
                  {"name":"without-endpoint","properties":{"addressPrefix":"10.60.2.0/24"}}]}}
                """).statusCode(201);
    }

    @Test
    void an_ipv6_client_is_decided_by_the_firewall_and_audited_never_refused_with_503() {
        String trusted = "TRUSTED_AZURE_BACKUP";
        client.putVault("sixopen", "{\"defaultAction\":\"Allow\"}", Map.of("APP", "\"get\",\"set\"")).statusCode(201);
        client.putVault("sixdeny", "{\"defaultAction\":\"Deny\",\"bypass\":\"AzureServices\","
                + "\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}", Map.of("APP", "\"get\"", trusted, "\"get\""))
                .statusCode(201);
        String app = client.dataToken("APP");

        client.onVault("sixopen", IPV6_CLIENT, app).contentType("application/json").body("{\"value\":\"v6\"}")
                .put(stack.vaultUrl() + "/secrets/db-password" + StackClient.API).then().statusCode(200);
        Response open = client.secretGet("sixopen", IPV6_CLIENT, app);
        Response denied = client.secretGet("sixdeny", IPV6_CLIENT, app);
        Response bypass = client.secretGet("sixdeny", IPV6_CLIENT, client.dataToken(trusted));

        open.then().statusCode(200).body("value", equalTo("v6"));
        denied.then().statusCode(403).body("error.innererror.code", equalTo("ForbiddenByFirewall"))
                .body("error.message", containsString("Client address: " + IPV6_CLIENT));
        bypass.then().statusCode(404).body("error.code", equalTo("SecretNotFound")); // passed as a trusted service
        client.auditEvent(open.header("x-moat-decision-id")).body("callerIp", equalTo(IPV6_CLIENT))
                .body("addressAuthorizationType", equalTo("DefaultAllow"));
        client.auditEvent(denied.header("x-moat-decision-id")).body("callerIp", equalTo(IPV6_CLIENT))
                .body("reason", containsString("IPv4-only"));
        client.auditEvent(bypass.header("x-moat-decision-id")).body("addressAuthorizationType", equalTo("TrustedService"));

        client.audit().queryParam("vault", "sixdeny").queryParam("clientAddress", IPV6_CLIENT)
                .get(stack.auditUrl() + "/api/v1/decisions").then().statusCode(200)
                .body("value.callerIp", equalTo(List.of(IPV6_CLIENT, IPV6_CLIENT)));
        client.audit().get(stack.auditUrl() + "/api/v1/vaults/sixdeny/diagnosis").then().statusCode(200)
                .body("clients[0].clientAddress", equalTo(IPV6_CLIENT))
                .body("clients[0].count", equalTo(1))
                .body("clients[0].remedy.kind", equalTo("UseIpv4"));
    }

    @Test
    void a_subnet_without_the_endpoint_is_named_in_the_denial_and_its_event() {
        client.putVault("subnetvault", "{\"defaultAction\":\"Deny\",\"bypass\":\"None\",\"virtualNetworkRules\":[{\"id\":\""
                + SUBNET_ID + "with-endpoint\"}]}", Map.of("APP", "\"get\"")).statusCode(201);

        Response denied = client.secretGet("subnetvault", "10.60.2.7", client.dataToken("APP"));

        denied.then().statusCode(403).body("error.message", containsString("without-endpoint"));
        client.auditEvent(denied.header("x-moat-decision-id"))
                .body("subnetId", equalTo(SUBNET_ID + "without-endpoint"))
                .body("reason", containsString("does not have the Microsoft.KeyVault service endpoint enabled"));
    }

    /** One row per rule of the source document's "configuration limitations" and virtual network steps. */
    static List<Arguments> invalidNetworkAcls() {
        String ips128 = IntStream.range(0, 128).mapToObj(i -> "{\"value\":\"52." + (i / 250) + "." + (i % 250) + ".1\"}")
                .collect(Collectors.joining(","));
        String subnets128 = IntStream.range(0, 128)
                .mapToObj(i -> "{\"id\":\"" + SUBNET_ID + "s" + i + "\",\"ignoreMissingVnetServiceEndpoint\":true}")
                .collect(Collectors.joining(","));
        return List.of(
                Arguments.of("at most 127 IPv4 rules", "\"ipRules\":[" + ips128 + "]",
                        List.of("128 IP rules exceed the limit of 127")),
                Arguments.of("at most 127 virtual network rules", "\"virtualNetworkRules\":[" + subnets128 + "]",
                        List.of("128 virtual network rules exceed the limit of 127")),
                Arguments.of("no /31 ranges", "\"ipRules\":[{\"value\":\"52.1.2.0/31\"}]",
                        List.of("'52.1.2.0/31'", "use an individual IP address rule")),
                Arguments.of("no /32 ranges", "\"ipRules\":[{\"value\":\"52.1.2.3/32\"}]",
                        List.of("'52.1.2.3/32'", "use an individual IP address rule")),
                Arguments.of("public addresses only: 10.", "\"ipRules\":[{\"value\":\"10.1.0.0/16\"}]",
                        List.of("'10.1.0.0/16' overlaps 10.0.0.0/8 (private network, RFC 1918)")),
                Arguments.of("public addresses only: 172.16-31", "\"ipRules\":[{\"value\":\"172.20.1.1\"}]",
                        List.of("'172.20.1.1' overlaps 172.16.0.0/12 (private network, RFC 1918)")),
                Arguments.of("public addresses only: 192.168.", "\"ipRules\":[{\"value\":\"192.168.0.0/24\"}]",
                        List.of("'192.168.0.0/24' overlaps 192.168.0.0/16 (private network, RFC 1918)")),
                Arguments.of("allow everything is defaultAction Allow", "\"ipRules\":[{\"value\":\"0.0.0.0/0\"}]",
                        List.of("'0.0.0.0/0' overlaps", "to allow every address use defaultAction: Allow")),
                Arguments.of("IPv4 only", "\"ipRules\":[{\"value\":\"2001:db8::/48\"}]",
                        List.of("'2001:db8::/48' is an IPv6 address: only IPv4 is supported")),
                Arguments.of("a virtual network rule needs the Microsoft.KeyVault endpoint",
                        "\"virtualNetworkRules\":[{\"id\":\"" + SUBNET_ID + "without-endpoint\"}]",
                        List.of("does not have the Microsoft.KeyVault service endpoint enabled")),
                Arguments.of("a virtual network rule names an existing subnet",
                        "\"virtualNetworkRules\":[{\"id\":\"" + SUBNET_ID + "missing\"}]",
                        List.of("subnet '" + SUBNET_ID + "missing' does not exist")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidNetworkAcls")
    void an_invalid_network_rule_put_through_arm_is_refused_by_policy_service_and_changes_nothing(String rule,
            String acls, List<String> messages) {
        String vault = "acl" + Integer.toHexString(rule.hashCode() & 0xfffff);
        var refused = client.putVault(vault, "{\"defaultAction\":\"Deny\"," + acls + "}", Map.of("APP", "\"get\""))
                .statusCode(400).body("error.code", equalTo("BadRequest"));
        for (String message : messages) {
            refused.body("error.message", containsString(message));
        }
        // Nothing half-applied: the vault does not exist.
        client.armGet("Microsoft.KeyVault/vaults/" + vault).statusCode(404);
    }
}
