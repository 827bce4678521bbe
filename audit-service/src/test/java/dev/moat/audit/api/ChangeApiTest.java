package dev.moat.audit.api;

import static dev.moat.audit.support.Tokens.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Events;
import dev.moat.audit.support.PublishingTest;
import dev.moat.proto.events.v1.ChangeAction;
import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.ResourceKind;

/** Change events published to Kafka make up a vault's change history: who, when, before and after. */
@QuarkusTest
@QuarkusTestResource(AuditKafkaResource.class)
class ChangeApiTest extends PublishingTest {

    @Test
    void a_vaults_network_rule_and_access_policy_changes_are_listed_newest_first() {
        String vault = "chg-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.parse("2024-08-01T09:00:00Z");
        ChangeEvent rules = Events.networkRuleChange(vault, t0).build();
        ChangeEvent policies = Events.networkRuleChange(vault, t0.plusSeconds(60))
                .setKind(ResourceKind.RESOURCE_KIND_ACCESS_POLICIES)
                .setAction(ChangeAction.CHANGE_ACTION_CREATED)
                .clearBeforeJson()
                .setAfterJson("[{\"tenantId\":\"t\",\"objectId\":\"o\",\"permissions\":{\"secrets\":[\"get\"]}}]")
                .build();
        publisher.change(rules);
        publisher.change(rules);
        publisher.change(policies);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> asAdmin().queryParam("vault", vault)
                .get("/api/v1/changes").then().statusCode(200)
                .body("value.eventId", equalTo(List.of(policies.getEventId(), rules.getEventId()))));

        asAdmin().queryParam("vault", vault).get("/api/v1/changes").then()
                .body("value[1].time", equalTo("2024-08-01T09:00:00Z"))
                .body("value[1].actor.objectId", equalTo("admin-oid"))
                .body("value[1].kind", equalTo("NetworkRuleSet"))
                .body("value[1].action", equalTo("Updated"))
                .body("value[1].resourceId", equalTo(rules.getResourceId()))
                .body("value[1].before.defaultAction", equalTo("Allow"))
                .body("value[1].after.defaultAction", equalTo("Deny"))
                .body("value[1].after.ipRules[0].value", equalTo("203.0.113.0/24"))
                .body("value[1].operation", equalTo("VaultsCreateOrUpdate"))
                .body("value[0].before", nullValue())
                .body("value[0].after[0].permissions.secrets[0]", equalTo("get"));
        asAdmin().queryParam("vault", vault).queryParam("kind", "networkRuleSet").get("/api/v1/changes").then()
                .statusCode(200).body("value.eventId", equalTo(List.of(rules.getEventId())));
        asAdmin().get("/api/v1/changes/{id}", policies.getEventId()).then()
                .statusCode(200).body("kind", equalTo("AccessPolicies"));
    }

    @Test
    void an_unknown_change_is_404_and_a_bad_kind_is_400() {
        asAdmin().get("/api/v1/changes/{id}", "nope").then().statusCode(404).body("error.code", equalTo("NotFound"));
        asAdmin().queryParam("kind", "Firewall").get("/api/v1/changes").then()
                .statusCode(400).body("error.message", org.hamcrest.Matchers.containsString("'Firewall'"));
    }
}
