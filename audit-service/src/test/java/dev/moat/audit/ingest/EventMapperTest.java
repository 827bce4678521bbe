package dev.moat.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Duration;

import dev.moat.audit.change.Change;
import dev.moat.audit.change.ChangeAction;
import dev.moat.audit.change.ResourceKind;
import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.decision.Layer;
import dev.moat.audit.decision.Outcome;
import dev.moat.audit.support.Events;
import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Identity;
import dev.moat.proto.events.v1.Result;

class EventMapperTest {

    private static final Instant TIME = Instant.parse("2024-05-01T12:00:00.123456789Z");

    @Test
    void maps_every_field_of_a_decision_event() throws Exception {
        DecisionEvent event = Events.ipRuleAllow("Contoso-Vault", "203.0.113.7", TIME)
                .setSubnetId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a")
                .setTrustedService("Azure Backup")
                .build();

        Decision decision = EventMapper.toDecision(event);

        assertThat(decision.eventId()).isEqualTo(event.getEventId());
        assertThat(decision.time()).isEqualTo(Instant.parse("2024-05-01T12:00:00.123456Z"));
        assertThat(decision.vault()).isEqualTo("contoso-vault");
        assertThat(decision.operation()).isEqualTo("SecretGet");
        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(decision.layer()).isEqualTo(Layer.OPERATION);
        assertThat(decision.httpStatus()).isEqualTo(200);
        assertThat(decision.callerIp()).isEqualTo("203.0.113.7");
        assertThat(decision.callerIpNumber()).isEqualTo((203L << 24) + (113 << 8) + 7);
        assertThat(decision.tenantId()).isEqualTo(event.getIdentity().getTenantId());
        assertThat(decision.objectId()).isEqualTo(event.getIdentity().getObjectId());
        assertThat(decision.applicationId()).isEqualTo(event.getIdentity().getApplicationId());
        assertThat(decision.addressAuthorized()).isTrue();
        assertThat(decision.authorizationType()).isEqualTo(AuthorizationType.IP_RULE);
        assertThat(decision.matchedRule()).isEqualTo("203.0.113.7");
        assertThat(decision.subnetId()).isEqualTo(event.getSubnetId());
        assertThat(decision.trustedService()).isEqualTo("Azure Backup");
        assertThat(decision.accessPolicyMatch()).isTrue();
        assertThat(decision.durationMs()).isEqualTo(3);
        assertThat(decision.correlationId()).isEqualTo(event.getCorrelationId());
        assertThat(decision.reason()).isNull();
        assertThat(decision.requestPath()).isEqualTo("/secrets/db-password");
        assertThat(decision.httpMethod()).isEqualTo("GET");
        assertThat(decision.source()).isEqualTo("vault-service-1");
    }

    @Test
    void empty_texts_and_an_unconsulted_firewall_become_null() throws Exception {
        DecisionEvent event = Events.firewallDenial("v", "", TIME)
                .clearIdentity()
                .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_UNSPECIFIED)
                .setOperation("")
                .clearDuration()
                .build();

        Decision decision = EventMapper.toDecision(event);

        assertThat(decision.callerIp()).isNull();
        assertThat(decision.callerIpNumber()).isNull();
        assertThat(decision.tenantId()).isNull();
        assertThat(decision.objectId()).isNull();
        assertThat(decision.authorizationType()).isNull();
        assertThat(decision.operation()).isNull();
        assertThat(decision.durationMs()).isZero();
    }

    @Test
    void a_caller_address_that_is_not_ipv4_is_kept_without_a_number() throws Exception {
        Decision decision = EventMapper.toDecision(Events.firewallDenial("v", "2001:db8::1", TIME).build());

        assertThat(decision.callerIp()).isEqualTo("2001:db8::1");
        assertThat(decision.callerIpNumber()).isNull();
    }

    @Test
    void refuses_an_event_without_id() {
        assertThatThrownBy(() -> EventMapper.toDecision(Events.firewallDenial("v", "1.2.3.4", TIME).setEventId("").build()))
                .isInstanceOf(InvalidEventException.class).hasMessage("event_id is empty");
    }

    @Test
    void refuses_an_event_without_time() {
        assertThatThrownBy(() -> EventMapper.toDecision(Events.firewallDenial("v", "1.2.3.4", TIME).clearTime().build()))
                .isInstanceOf(InvalidEventException.class).hasMessage("time is missing");
    }

    @Test
    void refuses_an_event_without_vault() {
        assertThatThrownBy(() -> EventMapper.toDecision(Events.firewallDenial("", "1.2.3.4", TIME).build()))
                .isInstanceOf(InvalidEventException.class).hasMessage("vault is empty");
    }

    @Test
    void refuses_an_unspecified_result() {
        assertThatThrownBy(() -> EventMapper.toDecision(Events.firewallDenial("v", "1.2.3.4", TIME)
                .setResult(Result.RESULT_UNSPECIFIED).build()))
                .isInstanceOf(InvalidEventException.class).hasMessage("result is unspecified");
    }

    @Test
    void refuses_an_enum_value_from_a_newer_contract() {
        assertThatThrownBy(() -> EventMapper.toDecision(Events.firewallDenial("v", "1.2.3.4", TIME)
                .setAddressAuthorizationTypeValue(42).build()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("address_authorization_type has the value 42, which this version does not know");
    }

    @Test
    void refuses_a_text_longer_than_its_column() {
        assertThatThrownBy(() -> EventMapper.toDecision(Events.firewallDenial("v", "1.2.3.4", TIME)
                .setReason("x".repeat(4001)).build()))
                .isInstanceOf(InvalidEventException.class).hasMessage("reason is longer than 4000 characters");
    }

    @Test
    void refuses_a_text_with_a_nul_character_which_postgresql_cannot_store() {
        assertThatThrownBy(() -> EventMapper.toDecision(Events.firewallDenial("v", "1.2.3.4", TIME)
                .setRequestPath("/secrets/a\0b").build()))
                .isInstanceOf(InvalidEventException.class).hasMessage("request_path contains a NUL character");
    }

    @Test
    void refuses_a_negative_duration() {
        assertThatThrownBy(() -> EventMapper.toDecision(Events.firewallDenial("v", "1.2.3.4", TIME)
                .setDuration(Duration.newBuilder().setSeconds(-1)).build()))
                .isInstanceOf(InvalidEventException.class).hasMessage("duration is out of range");
    }

    @Test
    void maps_a_change_event() throws Exception {
        var event = Events.networkRuleChange("Vault-A", TIME).build();

        Change change = EventMapper.toChange(event);

        assertThat(change.eventId()).isEqualTo(event.getEventId());
        assertThat(change.vault()).isEqualTo("vault-a");
        assertThat(change.kind()).isEqualTo(ResourceKind.NETWORK_RULE_SET);
        assertThat(change.action()).isEqualTo(ChangeAction.UPDATED);
        assertThat(change.actorObjectId()).isEqualTo("admin-oid");
        assertThat(change.beforeJson()).isEqualTo(event.getBeforeJson());
        assertThat(change.afterJson()).isEqualTo(event.getAfterJson());
        assertThat(change.resourceId()).isEqualTo(event.getResourceId());
    }

    @Test
    void a_created_resource_has_no_before() throws Exception {
        var event = Events.networkRuleChange("v", TIME).setAction(dev.moat.proto.events.v1.ChangeAction.CHANGE_ACTION_CREATED)
                .clearBeforeJson().setActor(Identity.getDefaultInstance()).build();

        Change change = EventMapper.toChange(event);

        assertThat(change.beforeJson()).isNull();
        assertThat(change.actorObjectId()).isNull();
        assertThat(change.action()).isEqualTo(ChangeAction.CREATED);
    }
}
