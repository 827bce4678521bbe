package dev.moat.audit.api;

import static dev.moat.audit.support.Tokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import dev.moat.audit.store.EventStore;
import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Events;
import dev.moat.audit.support.Stored;
import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.StagedFirewallDecision;
import dev.moat.proto.events.v1.Layer;

/** The query API over decisions stored directly (ingest has its own test): filters, order, pages, errors. */
@QuarkusTest
@QuarkusTestResource(AuditKafkaResource.class)
class DecisionApiTest {

    private static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");

    @Inject
    EventStore store;

    private String vault;

    @BeforeEach
    void newVault() {
        vault = "api-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void store(DecisionEvent.Builder... events) throws Exception {
        Stored.decisions(store, events);
    }

    /** The administrator's query of this test's vault's decisions with these parameters (name, value, ...): 200. */
    private ValidatableResponse decisionsWhere(Object... parameters) {
        RequestSpecification query = asAdmin().queryParam("vault", vault);
        for (int i = 0; i < parameters.length; i += 2) {
            query.queryParam((String) parameters[i], parameters[i + 1]);
        }
        return query.get("/api/v1/decisions").then().statusCode(200);
    }

    /** The ids of these events, in this order. */
    private static List<String> ids(DecisionEvent.Builder... events) {
        return Arrays.stream(events).map(DecisionEvent.Builder::getEventId).toList();
    }

    @Test
    void lists_a_vaults_decisions_newest_first() throws Exception {
        DecisionEvent.Builder first = Events.firewallDenial(vault, "203.0.113.1", T0);
        DecisionEvent.Builder second = Events.ipRuleAllow(vault, "203.0.113.2", T0.plusSeconds(1));
        DecisionEvent.Builder third = Events.firewallDenial(vault, "203.0.113.3", T0.plusSeconds(2));
        store(first, second, third);

        decisionsWhere()
                .body("value.eventId", equalTo(ids(third, second, first)))
                .body("nextLink", nullValue());
    }

    @Test
    void lists_the_decisions_on_which_the_staged_rule_set_differs_from_the_enforced_one() throws Exception {
        DecisionEvent.Builder wouldBeRefused = Events.ipRuleAllow(vault, "203.0.113.1", T0).setStaged(
                StagedFirewallDecision.newBuilder().setIsAddressAuthorized(false)
                        .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_DENIED));
        DecisionEvent.Builder wouldBeAdmitted = Events.firewallDenial(vault, "198.51.100.1", T0.plusSeconds(1))
                .setStaged(StagedFirewallDecision.newBuilder().setIsAddressAuthorized(true).setMatchedRule("198.51.100.1")
                        .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE));
        DecisionEvent.Builder same = Events.ipRuleAllow(vault, "203.0.113.2", T0.plusSeconds(2)).setStaged(
                StagedFirewallDecision.newBuilder().setIsAddressAuthorized(true).setMatchedRule("203.0.113.2")
                        .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE));
        DecisionEvent.Builder noStagedSet = Events.ipRuleAllow(vault, "203.0.113.3", T0.plusSeconds(3));
        store(wouldBeRefused, wouldBeAdmitted, same, noStagedSet);

        decisionsWhere("stagedDiffers", "true")
                .body("value.eventId", equalTo(ids(wouldBeAdmitted, wouldBeRefused)))
                .body("value[0].staged.isAddressAuthorized", equalTo(true))
                .body("value[0].staged.matchedRule", equalTo("198.51.100.1"))
                .body("value[1].staged.addressAuthorizationType", equalTo("Denied"));
        decisionsWhere("stagedDiffers", "false").body("value.eventId", equalTo(ids(same)));
        asAdmin().queryParam("vault", vault).get("/api/v1/decisions/" + noStagedSet.getEventId()).then()
                .statusCode(200).body("staged", nullValue());
        asAdmin().queryParam("stagedDiffers", "maybe").get("/api/v1/decisions").then()
                .statusCode(400).body("error.code", equalTo("BadParameter"))
                .body("error.message", containsString("stagedDiffers"));
    }

    @Test
    void filters_by_outcome() throws Exception {
        DecisionEvent.Builder denied = Events.firewallDenial(vault, "203.0.113.1", T0);
        DecisionEvent.Builder allowed = Events.ipRuleAllow(vault, "203.0.113.2", T0.plusSeconds(1));
        store(denied, allowed);

        decisionsWhere("outcome", "denied").body("value.eventId", equalTo(ids(denied)));
        decisionsWhere("outcome", "Allowed").body("value.eventId", equalTo(ids(allowed)))
                .body("value[0].addressAuthorizationType", equalTo("IpRule"))
                .body("value[0].layer", equalTo("Operation"));
    }

    @Test
    void filters_by_time_window_layer_and_authorization_type() throws Exception {
        DecisionEvent.Builder early = Events.firewallDenial(vault, "203.0.113.1", T0);
        DecisionEvent.Builder policy = Events.firewallDenial(vault, "203.0.113.1", T0.plusSeconds(60))
                .setLayer(Layer.LAYER_ACCESS_POLICY).setIsAddressAuthorized(true)
                .setAddressAuthorizationType(dev.moat.proto.events.v1.AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE);
        DecisionEvent.Builder late = Events.firewallDenial(vault, "203.0.113.1", T0.plusSeconds(120));
        store(early, policy, late);

        decisionsWhere("from", T0.plusSeconds(30).toString(), "to", T0.plusSeconds(120).toString())
                .body("value.eventId", equalTo(ids(policy)));
        decisionsWhere("layer", "access-policy").body("value.eventId", equalTo(ids(policy)));
        decisionsWhere("layer", "Firewall", "authorizationType", "Denied")
                .body("value.eventId", equalTo(ids(late, early)));
    }

    @Test
    void filters_by_client_address_or_cidr_range() throws Exception {
        DecisionEvent.Builder inside = Events.firewallDenial(vault, "203.0.113.200", T0);
        DecisionEvent.Builder outside = Events.firewallDenial(vault, "203.0.114.1", T0.plusSeconds(1));
        store(inside, outside);

        decisionsWhere("clientAddress", "203.0.113.0/24").body("value.eventId", equalTo(ids(inside)));
        decisionsWhere("clientAddress", "203.0.114.1").body("value.eventId", equalTo(ids(outside)));
    }

    @Test
    void filters_by_an_ipv6_client_address_which_the_ipv4_ranges_never_match() throws Exception {
        DecisionEvent.Builder ipv6 = Events.firewallDenial(vault, "2001:db8::1", T0);
        DecisionEvent.Builder ipv4 = Events.firewallDenial(vault, "0.0.0.1", T0.plusSeconds(1));
        store(ipv6, ipv4);

        decisionsWhere("clientAddress", "2001:DB8:0::1").body("value.eventId", equalTo(ids(ipv6)))
                .body("value[0].callerIp", equalTo("2001:db8::1"));
        decisionsWhere("clientAddress", "0.0.0.0/0").body("value.eventId", equalTo(ids(ipv4)));
    }

    @Test
    void filters_by_subnet_caller_and_operation() throws Exception {
        String subnet = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vn/subnets/app";
        DecisionEvent.Builder viaSubnet = Events.firewallDenial(vault, "10.0.0.4", T0).setSubnetId(subnet);
        DecisionEvent.Builder other = Events.firewallDenial(vault, "203.0.113.1", T0.plusSeconds(1))
                .setOperation("SecretList")
                .setIdentity(dev.moat.proto.events.v1.Identity.newBuilder().setObjectId("other-oid").setApplicationId("other-app"));
        store(viaSubnet, other);

        decisionsWhere("subnetId", subnet.toUpperCase()).body("value.eventId", equalTo(ids(viaSubnet)));
        decisionsWhere("objectId", "other-oid").body("value.eventId", equalTo(ids(other)));
        decisionsWhere("applicationId", "other-app").body("value.eventId", equalTo(ids(other)));
        decisionsWhere("operation", "SecretGet").body("value.eventId", equalTo(ids(viaSubnet)));
    }

    @Test
    void pages_follow_next_links_without_gaps_or_repeats() throws Exception {
        List<String> expected = new ArrayList<>();
        List<DecisionEvent.Builder> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // Two events share each second, so that the cursor must break ties by id.
            DecisionEvent.Builder event = Events.firewallDenial(vault, "203.0.113.1", T0.plusSeconds(i / 2));
            events.add(event);
        }
        store(events.toArray(DecisionEvent.Builder[]::new));
        events.stream()
                .sorted((a, b) -> a.getTime().getSeconds() != b.getTime().getSeconds()
                        ? Long.compare(b.getTime().getSeconds(), a.getTime().getSeconds())
                        : b.getEventId().compareTo(a.getEventId()))
                .forEach(e -> expected.add(e.getEventId()));

        List<String> seen = new ArrayList<>();
        JsonPath page = asAdmin().queryParam("vault", vault).queryParam("limit", "3").get("/api/v1/decisions")
                .then().statusCode(200).body("value", hasSize(3)).extract().jsonPath();
        seen.addAll(page.getList("value.eventId"));
        while (page.getString("nextLink") != null) {
            page = asAdmin().urlEncodingEnabled(false).get(page.getString("nextLink")).then().statusCode(200)
                    .extract().jsonPath();
            seen.addAll(page.getList("value.eventId"));
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void an_unknown_event_id_is_404_in_the_error_shape() {
        asAdmin().get("/api/v1/decisions/{id}", "no-such-event").then()
                .statusCode(404)
                .body("error.code", equalTo("NotFound"))
                .body("error.message", containsString("no-such-event"));
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
            "outcome, maybe",
            "limit, 0",
            "limit, 1001",
            "limit, ten",
            "from, yesterday",
            "to, 2024-13-01T00:00:00Z",
            "from, +10000-01-01T00:00:00Z",
            "layer, Kernel",
            "authorizationType, Magic",
            "clientAddress, 300.1.2.3",
            "clientAddress, 203.0.113.7/24",
            "clientAddress, 203.000.113.7",
            "clientAddress, 2001:db8::/32",
            "cursor, not-a-cursor",
    })
    void a_bad_query_value_is_400_naming_the_value(String name, String value) {
        asAdmin().queryParam(name, value).get("/api/v1/decisions").then()
                .statusCode(400)
                .body("error.code", equalTo("BadParameter"))
                .body("error.message", containsString("'" + value + "'"))
                .body("error.message", containsString("'" + name + "'"));
    }

    @Test
    void an_empty_time_window_is_400() {
        asAdmin().queryParam("from", "2024-06-02T00:00:00Z").queryParam("to", "2024-06-01T00:00:00Z")
                .get("/api/v1/decisions").then()
                .statusCode(400).body("error.code", equalTo("BadParameter"));
    }

    @Test
    void an_unknown_path_is_404_in_the_error_shape() {
        asAdmin().get("/api/v1/nothing-here").then().statusCode(404).body("error.code", equalTo("NotFound"));
    }
}
