package dev.moat.audit.api;

import static dev.moat.audit.support.Tokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.moat.audit.store.EventStore;
import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Events;
import dev.moat.audit.support.Stored;
import dev.moat.proto.events.v1.DecisionEvent;

/** The JSON Lines export speaks Azure's AuditEvent field names, one event per line, oldest first. */
@QuarkusTest
@QuarkusTestResource(AuditKafkaResource.class)
class ExportApiTest {

    @Inject
    EventStore store;

    @Inject
    ObjectMapper json;

    @Test
    void exports_a_vaults_decisions_as_azure_audit_events() throws Exception {
        String vault = "exp-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.parse("2024-09-01T10:00:00Z");
        DecisionEvent.Builder denied = Events.firewallDenial(vault, "203.0.113.7", t0.plusSeconds(5));
        DecisionEvent.Builder allowed = Events.ipRuleAllow(vault, "203.0.113.8", t0);
        Stored.decisions(store, denied, allowed);
        Stored.changes(store, Events.networkRuleChange(vault, t0.minusSeconds(60)));

        String body = asAdmin().queryParam("vault", vault).get("/api/v1/decisions/export").then()
                .statusCode(200)
                .contentType("application/x-ndjson")
                .extract().asString();

        List<String> lines = body.lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = json.readTree(lines.get(0));
        JsonNode second = json.readTree(lines.get(1));
        assertThat(first.path("properties").path("decisionId").asText()).isEqualTo(allowed.getEventId());
        assertThat(second.path("time").asText()).isEqualTo("2024-09-01T10:00:05Z");
        assertThat(second.path("category").asText()).isEqualTo("AuditEvent");
        assertThat(second.path("operationName").asText()).isEqualTo("SecretGet");
        assertThat(second.path("resourceId").asText())
                .isEqualTo("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/" + vault);
        assertThat(second.path("resultType").asText()).isEqualTo("Failure");
        assertThat(second.path("resultSignature").asText()).isEqualTo("Forbidden");
        assertThat(second.path("resultDescription").asText()).isEqualTo(denied.getReason());
        assertThat(second.path("durationMs").asText()).isEqualTo("3");
        assertThat(second.path("callerIpAddress").asText()).isEqualTo("203.0.113.7");
        assertThat(second.path("correlationId").asText()).isEqualTo(denied.getCorrelationId());
        assertThat(second.path("identity").path("claim").path(AzureAuditEvent.OBJECT_ID_CLAIM).asText())
                .isEqualTo(denied.getIdentity().getObjectId());
        assertThat(second.path("identity").path("claim").path("appid").asText())
                .isEqualTo(denied.getIdentity().getApplicationId());
        JsonNode properties = second.path("properties");
        assertThat(properties.path("httpStatusCode").asInt()).isEqualTo(403);
        assertThat(properties.path("isAddressAuthorized").asBoolean(true)).isFalse();
        assertThat(properties.path("addressAuthorizationType").asText()).isEqualTo("Denied");
        assertThat(properties.path("isAccessPolicyMatch").asBoolean(true)).isFalse();
        assertThat(properties.path("requestUri").asText()).isEqualTo("/secrets/db-password");
        assertThat(properties.has("matchedRule")).isFalse();
    }

    @Test
    void a_bad_filter_is_400_before_anything_streams() {
        asAdmin().queryParam("clientAddress", "10.0.0.0/33").get("/api/v1/decisions/export").then()
                .statusCode(400)
                .body("error.code", org.hamcrest.Matchers.equalTo("BadParameter"));
    }
}
