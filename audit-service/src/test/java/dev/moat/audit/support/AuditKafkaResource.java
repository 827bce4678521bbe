package dev.moat.audit.support;

import java.util.Map;

import dev.moat.testing.kafka.KafkaBrokerResource;

/**
 * The shared in-process broker, with audit-service's topics created before the service subscribes: decisions on
 * three partitions (so that ordering and commits are exercised per partition), changes and dead letters on one.
 */
public class AuditKafkaResource extends KafkaBrokerResource {

    public static final String DECISIONS = "moat.decisions.v1";
    public static final String CHANGES = "moat.changes.v1";
    public static final String DEAD_LETTERS = "moat.audit.dlq.v1";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        broker().createTopics(3, DECISIONS);
        broker().createTopics(1, CHANGES, DEAD_LETTERS);
        return config;
    }
}
