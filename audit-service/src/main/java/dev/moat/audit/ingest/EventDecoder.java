package dev.moat.audit.ingest;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.DecisionEvent;

/**
 * Decodes a record of one of the two event topics. The topic says which message to expect; a {@code ce_type}
 * header, when present, must name that message (a record of another type or of a later version of the contract
 * is poison here, and waits in the dead-letter topic for a version that knows it).
 */
public final class EventDecoder {

    static final String DECISION_TYPE = "dev.moat.events.v1.DecisionEvent";
    static final String CHANGE_TYPE = "dev.moat.events.v1.ChangeEvent";

    private final String decisionsTopic;
    private final String changesTopic;

    public EventDecoder(String decisionsTopic, String changesTopic) {
        this.decisionsTopic = decisionsTopic;
        this.changesTopic = changesTopic;
    }

    /**
     * @param ceType the record's {@code ce_type} header, {@code null} when absent
     */
    public Decoded decode(String topic, String ceType, byte[] value) {
        boolean decisions = decisionsTopic.equals(topic);
        if (!decisions && !changesTopic.equals(topic)) {
            return new Decoded.Poison("topic " + topic + " is not an event topic");
        }
        String expectedType = decisions ? DECISION_TYPE : CHANGE_TYPE;
        if (ceType != null && !ceType.equals(expectedType)) {
            return new Decoded.Poison("ce_type " + ceType + " is not " + expectedType);
        }
        if (value == null) {
            return new Decoded.Poison("the record has no value");
        }
        try {
            return decisions
                    ? new Decoded.DecisionRecord(EventMapper.toDecision(DecisionEvent.parseFrom(value)))
                    : new Decoded.ChangeRecord(EventMapper.toChange(ChangeEvent.parseFrom(value)));
        } catch (InvalidProtocolBufferException e) {
            return new Decoded.Poison("not a " + expectedType + " message: " + e.getMessage());
        } catch (InvalidEventException e) {
            return new Decoded.Poison(e.getMessage());
        }
    }
}
