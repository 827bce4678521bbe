package dev.moat.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.moat.audit.support.Events;

class EventDecoderTest {

    private final EventDecoder decoder = new EventDecoder("moat.decisions.v1", "moat.changes.v1");
    private final byte[] decision = Events.firewallDenial("v", "203.0.113.7", Instant.now()).build().toByteArray();

    @Test
    void decodes_a_decision_with_or_without_a_ce_type_header() {
        assertThat(decoder.decode("moat.decisions.v1", "dev.moat.events.v1.DecisionEvent", decision))
                .isInstanceOf(Decoded.DecisionRecord.class);
        assertThat(decoder.decode("moat.decisions.v1", null, decision)).isInstanceOf(Decoded.DecisionRecord.class);
    }

    @Test
    void decodes_a_change_from_the_changes_topic() {
        byte[] change = Events.networkRuleChange("v", Instant.now()).build().toByteArray();
        assertThat(decoder.decode("moat.changes.v1", "dev.moat.events.v1.ChangeEvent", change))
                .isInstanceOf(Decoded.ChangeRecord.class);
    }

    @Test
    void bytes_that_are_not_protobuf_are_poison() {
        Decoded decoded = decoder.decode("moat.decisions.v1", null, "{\"json\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isInstanceOf(Decoded.Poison.class);
        assertThat(((Decoded.Poison) decoded).reason()).startsWith("not a dev.moat.events.v1.DecisionEvent message");
    }

    @Test
    void a_message_of_another_type_or_version_is_poison() {
        assertThat(decoder.decode("moat.decisions.v1", "dev.moat.events.v2.DecisionEvent", decision))
                .isEqualTo(new Decoded.Poison("ce_type dev.moat.events.v2.DecisionEvent is not dev.moat.events.v1.DecisionEvent"));
    }

    @Test
    void a_record_without_value_is_poison() {
        assertThat(decoder.decode("moat.decisions.v1", null, null)).isEqualTo(new Decoded.Poison("the record has no value"));
    }

    @Test
    void an_empty_value_is_poison_because_it_has_no_event_id() {
        assertThat(decoder.decode("moat.decisions.v1", null, new byte[0])).isEqualTo(new Decoded.Poison("event_id is empty"));
    }

    @Test
    void the_log_shows_only_a_short_hex_prefix_of_a_payload() {
        byte[] payload = "0123456789abcdefSECRET-LOOKING-TAIL".getBytes(StandardCharsets.UTF_8);
        assertThat(DeadLetters.hexPrefix(payload)).isEqualTo("30313233343536373839616263646566...");
        assertThat(DeadLetters.hexPrefix(new byte[0])).isEqualTo("(empty)");
    }
}
