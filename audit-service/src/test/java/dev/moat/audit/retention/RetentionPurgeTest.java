package dev.moat.audit.retention;

import static dev.moat.audit.support.Tokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.moat.audit.store.EventStore;
import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Events;
import dev.moat.audit.support.Stored;
import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.DecisionEvent;

/** Events older than their retention (90 days for decisions, 365 for changes by default) are purged. */
@QuarkusTest
@QuarkusTestResource(AuditKafkaResource.class)
class RetentionPurgeTest {

    @Inject
    RetentionPurge purge;

    @Inject
    EventStore store;

    @Test
    void purges_decisions_older_than_90_days_and_changes_older_than_365() throws Exception {
        Instant now = Instant.now();
        String vault = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        DecisionEvent.Builder oldDecision = Events.firewallDenial(vault, "203.0.113.1", now.minus(Duration.ofDays(91)));
        DecisionEvent.Builder keptDecision = Events.firewallDenial(vault, "203.0.113.1", now.minus(Duration.ofDays(89)));
        ChangeEvent.Builder keptChange = Events.networkRuleChange(vault, now.minus(Duration.ofDays(200)));
        ChangeEvent.Builder oldChange = Events.networkRuleChange(vault, now.minus(Duration.ofDays(366)));
        Stored.decisions(store, oldDecision, keptDecision);
        Stored.changes(store, keptChange, oldChange);

        RetentionPurge.Purged purged = purge.purge(now);

        assertThat(purged.decisions()).isGreaterThanOrEqualTo(1);
        assertThat(purged.changes()).isGreaterThanOrEqualTo(1);
        asAdmin().get("/api/v1/decisions/{id}", oldDecision.getEventId()).then().statusCode(404);
        asAdmin().get("/api/v1/decisions/{id}", keptDecision.getEventId()).then().statusCode(200);
        asAdmin().get("/api/v1/changes/{id}", oldChange.getEventId()).then().statusCode(404);
        asAdmin().get("/api/v1/changes/{id}", keptChange.getEventId()).then().statusCode(200);
    }
}
