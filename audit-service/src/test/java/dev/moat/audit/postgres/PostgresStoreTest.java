package dev.moat.audit.postgres;

import static dev.moat.audit.support.Tokens.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import dev.moat.testing.http.ManagementInterface;
import dev.moat.audit.retention.RetentionPurge;
import dev.moat.audit.change.Change;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.decision.Layer;
import dev.moat.audit.decision.Outcome;
import dev.moat.audit.ingest.EventMapper;
import dev.moat.audit.store.ChangeQueries;
import dev.moat.audit.store.DecisionQueries;
import dev.moat.audit.store.EventStore;
import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Events;
import dev.moat.audit.support.Publisher;
import dev.moat.audit.support.PublishingTest;
import dev.moat.audit.support.Stored;
import dev.moat.audit.store.WhatIfQueries;
import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.StagedFirewallDecision;

/** The same SQL on PostgreSQL, the production store: ingest from Kafka, every query, the purge. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@QuarkusTestResource(AuditKafkaResource.class)
class PostgresStoreTest extends PublishingTest {

    private static final Instant T0 = Instant.parse("2024-10-01T10:00:00.123456Z");


    @Inject
    EventStore store;

    @Inject
    RetentionPurge purge;

    private static String newVault() {
        return "pg-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Inject
    WhatIfQueries whatIf;

    @Inject
    DecisionQueries decisions;

    @Inject
    ChangeQueries changes;

    @Test
    void the_what_if_origins_and_the_staged_decisions_use_the_same_sql_on_postgresql() throws Exception {
        String vault = newVault();
        Stored.decisions(store,
                Events.ipRuleAllow(vault, "203.0.113.7", T0),
                Events.ipRuleAllow(vault, "203.0.113.7", T0.plusSeconds(1)).setOperation("SecretList"),
                Events.ipRuleAllow(vault, "203.0.113.8", T0.plusSeconds(2)).setStaged(StagedFirewallDecision.newBuilder()
                        .setIsAddressAuthorized(false)
                        .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_DENIED)));

        var origins = whatIf.seenOrigins(vault, T0, T0.plusSeconds(60));
        assertThat(origins).hasSize(2);
        assertThat(origins.stream().filter(o -> o.origin().clientAddress().equals("203.0.113.7")).findFirst()
                .orElseThrow().operations()).containsExactly("SecretGet", "SecretList");
        asAdmin().queryParam("vault", vault).queryParam("stagedDiffers", "true").get("/api/v1/decisions").then()
                .statusCode(200).body("value", hasSize(1)).body("value[0].callerIp", equalTo("203.0.113.8"));
    }

    @Test
    void readiness_reports_the_postgresql_datasource() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> ManagementInterface.given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'Database connections health check' }.data.postgresql", equalTo("UP")));
    }

    @Test
    void events_from_kafka_are_stored_once_and_poison_is_passed_over() {
        String vault = newVault();
        DecisionEvent event = Events.firewallDenial(vault, "203.0.113.7", T0).build();
        publisher.decision(event);
        publisher.decision(event);
        publisher.send(AuditKafkaResource.DECISIONS, vault, "garbage".getBytes(StandardCharsets.UTF_8),
                Publisher.headers("poison", "dev.moat.events.v1.DecisionEvent"));
        DecisionEvent marker = Events.ipRuleAllow(vault, "203.0.113.8", T0.plusSeconds(1)).build();
        publisher.decision(marker);
        publisher.change(Events.networkRuleChange(vault, T0).build());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> asAdmin().get("/api/v1/decisions/{id}", marker.getEventId())
                .then().statusCode(200));
        asAdmin().queryParam("vault", vault).get("/api/v1/decisions").then()
                .body("value.eventId", equalTo(List.of(marker.getEventId(), event.getEventId())))
                .body("value[1].time", equalTo("2024-10-01T10:00:00.123456Z"))
                .body("value[1].isAddressAuthorized", equalTo(false));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> asAdmin().queryParam("vault", vault)
                .get("/api/v1/changes").then().body("value", hasSize(1)).body("value[0].after.defaultAction", equalTo("Deny")));
    }

    @Test
    void filters_and_pages_work_on_postgresql() throws Exception {
        String vault = newVault();
        List<DecisionEvent.Builder> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(Events.firewallDenial(vault, "203.0.113." + (10 + i), T0.plusSeconds(i / 2)));
        }
        events.add(Events.firewallDenial(vault, "198.51.100.1", T0).setOperation("KeySign"));
        Stored.decisions(store, events.toArray(DecisionEvent.Builder[]::new));

        List<String> seen = new ArrayList<>();
        JsonPath page = asAdmin().queryParam("vault", vault).queryParam("clientAddress", "203.0.113.0/24")
                .queryParam("outcome", "denied").queryParam("layer", "firewall").queryParam("limit", "2")
                .get("/api/v1/decisions").then().statusCode(200).extract().jsonPath();
        seen.addAll(page.getList("value.eventId"));
        while (page.getString("nextLink") != null) {
            page = asAdmin().urlEncodingEnabled(false).get(page.getString("nextLink")).then().statusCode(200)
                    .extract().jsonPath();
            seen.addAll(page.getList("value.eventId"));
        }
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        asAdmin().queryParam("vault", vault).queryParam("operation", "keysign").get("/api/v1/decisions").then()
                .body("value", hasSize(1)).body("value[0].callerIp", equalTo("198.51.100.1"));
    }

    @Test
    void the_diagnosis_and_the_export_work_on_postgresql() throws Exception {
        String vault = newVault();
        Stored.decisions(store,
                Events.firewallDenial(vault, "203.0.113.7", T0),
                Events.firewallDenial(vault, "203.0.113.7", T0.plusSeconds(10)).setOperation("SecretList"));
        Stored.changes(store, Events.networkRuleChange(vault, T0.minusSeconds(10)));

        asAdmin().queryParam("from", T0.minusSeconds(60).toString()).queryParam("to", T0.plusSeconds(60).toString())
                .get("/api/v1/vaults/{vault}/diagnosis", vault).then()
                .statusCode(200)
                .body("clients[0].clientAddress", equalTo("203.0.113.7"))
                .body("clients[0].count", equalTo(2))
                .body("clients[0].operations", equalTo(List.of("SecretGet", "SecretList")))
                .body("clients[0].remedy.rule", equalTo("203.0.113.7"));
        String export = asAdmin().queryParam("vault", vault).get("/api/v1/decisions/export").then()
                .statusCode(200).extract().asString();
        assertThat(export.lines()).hasSize(2).allSatisfy(line -> assertThat(line)
                .contains("\"resourceId\":\"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/" + vault + "\""));
    }

    @Test
    void a_batch_partly_stored_before_stores_only_its_new_events_through_copy() throws Exception {
        String vault = newVault();
        List<Decision> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(EventMapper.toDecision(Events.ipRuleAllow(vault, "203.0.113." + (i + 1), T0.plusSeconds(i)).build()));
        }
        // a redelivery after a crash: the first two were stored, the batch comes again whole
        store.store(batch.subList(0, 2), List.of());

        EventStore.StoreResult result = store.store(batch, List.of());

        assertThat(result).isEqualTo(new EventStore.StoreResult(3, 0, 2));
        asAdmin().queryParam("vault", vault).get("/api/v1/decisions").then().statusCode(200)
                .body("value", hasSize(5));
    }

    @Test
    void text_with_tabs_line_breaks_backslashes_and_nulls_comes_back_as_it_was_stored_through_copy() throws Exception {
        String vault = newVault();
        // what COPY's text format gives a meaning to: tab, line feed, carriage return, backslash, \N
        String odd = "tab\there, line\nfeed, return\r, back\\slash, \\N, \\t, '\"; DROP TABLE x; --, é, \uD83D\uDD11";
        Decision full = EventMapper.toDecision(Events.firewallDenial(vault, "203.0.113.9", T0)
                .setReason(odd).setRequestPath("/secrets/a\tb?x=\\n").build());
        Decision sparse = new Decision(UUID.randomUUID().toString(), T0.plusSeconds(1), vault, null, Outcome.DENIED,
                Layer.AUTHENTICATION, 401, null, null, null, null, null, false, null, null, null, null, false, 0,
                null, null, null, null, null, null);
        Change change = EventMapper.toChange(Events.networkRuleChange(vault, T0)
                .setBeforeJson("{\n\t\"note\": \"a\\tb \\\\ c \\n\"\r\n}")
                .clearAfterJson().build());

        assertThat(store.store(List.of(full, sparse), List.of(change))).isEqualTo(new EventStore.StoreResult(2, 1, 0));

        assertThat(decisions.find(full.eventId())).contains(full);
        assertThat(decisions.find(sparse.eventId())).contains(sparse);
        assertThat(changes.find(change.eventId())).contains(change);
    }

    @Test
    void a_value_the_database_refuses_fails_the_copy_whole_and_the_batch_stored_one_by_one_keeps_the_others()
            throws Exception {
        String vault = newVault();
        Decision good = EventMapper.toDecision(Events.ipRuleAllow(vault, "203.0.113.1", T0).build());
        // longer than the operation column's 128 characters (the event mapper refuses it before, the database too)
        Decision tooLong = new Decision(UUID.randomUUID().toString(), T0, vault, "x".repeat(129), Outcome.DENIED,
                Layer.AUTHENTICATION, 401, null, null, null, null, null, false, null, null, null, null, false, 0,
                null, null, null, null, null, null);

        assertThatThrownBy(() -> store.store(List.of(good, tooLong), List.of()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22001"));
        assertThat(decisions.find(good.eventId())).isEmpty();

        assertThat(store.store(List.of(good), List.of())).isEqualTo(new EventStore.StoreResult(1, 0, 0));
        assertThat(decisions.find(good.eventId())).contains(good);
    }

    @Test
    void the_purge_works_on_postgresql() throws Exception {
        String vault = newVault();
        DecisionEvent.Builder old = Events.firewallDenial(vault, "203.0.113.1", Instant.now().minus(Duration.ofDays(100)));
        Stored.decisions(store, old);

        purge.purge();

        asAdmin().get("/api/v1/decisions/{id}", old.getEventId()).then().statusCode(404)
                .body("error.message", containsString(old.getEventId()));
        ManagementInterface.given().get("/q/metrics").then().body(containsString("moat_audit_events_stored_total"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/vaults/{vault}/diagnosis"));
        ManagementInterface.given().get("/q/health/ready").then().body("checks.name", hasItem("Kafka event consumer"));
    }
}
