package dev.moat.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Events;
import dev.moat.audit.support.Stored;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The origins of the what-if, aggregated by the database. */
@QuarkusTest
@QuarkusTestResource(AuditKafkaResource.class)
class WhatIfQueriesTest {

    private static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");

    @Inject
    EventStore store;

    @Inject
    WhatIfQueries queries;

    @Test
    void one_origin_per_address_and_caller_with_its_requests_operations_and_latest_enforced_answer() throws Exception {
        String vault = "whatif-" + UUID.randomUUID().toString().substring(0, 8);
        Stored.decisions(store,
                Events.firewallDenial(vault, "203.0.113.7", T0),
                Events.ipRuleAllow(vault, "203.0.113.7", T0.plusSeconds(10)).setOperation("SecretList"),
                Events.ipRuleAllow(vault, "203.0.113.7", T0.plusSeconds(20)),
                Events.ipRuleAllow(vault, "198.51.100.9", T0.plusSeconds(30)),
                // refused before the firewall: nothing to decide again
                Events.firewallDenial(vault, "192.0.2.1", T0).setLayer(Layer.LAYER_AUTHENTICATION)
                        .setAddressAuthorizationType(dev.moat.proto.events.v1.AddressAuthorizationType
                                .ADDRESS_AUTHORIZATION_TYPE_UNSPECIFIED),
                // outside the window
                Events.ipRuleAllow(vault, "198.51.100.10", T0.plusSeconds(3600)).setResult(Result.RESULT_ALLOWED));

        var origins = queries.seenOrigins(vault, T0, T0.plusSeconds(60));

        assertThat(origins).hasSize(2);
        var first = origins.stream().filter(o -> o.origin().clientAddress().equals("203.0.113.7")).findFirst().orElseThrow();
        assertThat(first.requests()).isEqualTo(3);
        assertThat(first.lastSeen()).isEqualTo(T0.plusSeconds(20));
        assertThat(first.operations()).containsExactly("SecretGet", "SecretList");
        assertThat(first.before().allowed()).isTrue();
        assertThat(first.before().type()).isEqualTo(AuthorizationType.IP_RULE);
        assertThat(first.origin().applicationId()).isEqualTo("11111111-2222-3333-4444-555555555555");
    }
}
