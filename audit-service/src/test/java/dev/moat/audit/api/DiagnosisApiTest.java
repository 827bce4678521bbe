package dev.moat.audit.api;

import static dev.moat.audit.support.Tokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.moat.audit.store.EventStore;
import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Events;
import dev.moat.audit.support.Stored;
import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.Layer;

/** The diagnosis names each denied client and subnet and the rule that would admit it. */
@QuarkusTest
@QuarkusTestResource(AuditKafkaResource.class)
class DiagnosisApiTest {

    private static final Instant T0 = Instant.parse("2024-07-01T08:00:00Z");
    private static final String SUBNET = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vn/subnets/workers";

    @Inject
    EventStore store;

    private String vault;

    @BeforeEach
    void newVault() {
        vault = "diag-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void names_a_denied_public_client_and_the_ip_rule_that_would_admit_it() throws Exception {
        Stored.decisions(store,
                Events.firewallDenial(vault, "203.0.113.7", T0).setOperation("SecretGet"),
                Events.firewallDenial(vault, "203.0.113.7", T0.plusSeconds(60)).setOperation("SecretList"),
                Events.firewallDenial(vault, "203.0.113.7", T0.plusSeconds(120)).setOperation("SecretGet"),
                Events.firewallDenial(vault, "10.1.0.9", T0.plusSeconds(30)).setSubnetId(SUBNET),
                // refused by its access policy: not a firewall problem
                Events.firewallDenial(vault, "198.51.100.1", T0.plusSeconds(10)).setLayer(Layer.LAYER_ACCESS_POLICY)
                        .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE)
                        .setIsAddressAuthorized(true),
                Events.ipRuleAllow(vault, "198.51.100.2", T0.plusSeconds(20)),
                // outside the window
                Events.firewallDenial(vault, "192.0.2.1", T0.minusSeconds(3600)));

        asAdmin().queryParam("from", T0.toString()).queryParam("to", T0.plusSeconds(3600).toString())
                .get("/api/v1/vaults/{vault}/diagnosis", vault).then()
                .statusCode(200)
                .body("vault", equalTo(vault))
                .body("firewallDenials", equalTo(4))
                .body("denialsByLayer.Firewall", equalTo(4))
                .body("denialsByLayer.AccessPolicy", equalTo(1))
                .body("truncated", equalTo(false))
                .body("clients", hasSize(2))
                .body("clients[0].clientAddress", equalTo("203.0.113.7"))
                .body("clients[0].count", equalTo(3))
                .body("clients[0].firstSeen", equalTo(T0.toString()))
                .body("clients[0].lastSeen", equalTo(T0.plusSeconds(120).toString()))
                .body("clients[0].operations", equalTo(List.of("SecretGet", "SecretList")))
                .body("clients[0].remedy.kind", equalTo("AddIpRule"))
                .body("clients[0].remedy.rule", equalTo("203.0.113.7"))
                .body("clients[1].clientAddress", equalTo("10.1.0.9"))
                .body("clients[1].remedy.kind", equalTo("AddVirtualNetworkRule"))
                .body("subnets", hasSize(1))
                .body("subnets[0].subnetId", equalTo(SUBNET))
                .body("subnets[0].clientAddresses", equalTo(List.of("10.1.0.9")))
                .body("subnets[0].remedy.description",
                        containsString("Enable the Microsoft.KeyVault service endpoint on subnet " + SUBNET));
    }

    @Test
    void a_vault_without_denials_has_an_empty_diagnosis() {
        asAdmin().get("/api/v1/vaults/{vault}/diagnosis", vault).then()
                .statusCode(200)
                .body("firewallDenials", equalTo(0))
                .body("clients", hasSize(0))
                .body("subnets", hasSize(0));
    }

    @Test
    void a_bad_window_is_400_naming_the_value() {
        asAdmin().queryParam("from", "last-week").get("/api/v1/vaults/{vault}/diagnosis", vault).then()
                .statusCode(400)
                .body("error.code", equalTo("BadParameter"))
                .body("error.message", containsString("'last-week'"));
    }
}
