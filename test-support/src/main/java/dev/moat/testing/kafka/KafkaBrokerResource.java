package dev.moat.testing.kafka;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real in-process {@link KafkaBroker} for a {@code @QuarkusTest} and points the service's
 * {@code kafka.bootstrap.servers} at it.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker broker;

    /** The broker of the running test, for tests that produce or consume directly. */
    public static KafkaBroker broker() {
        return broker;
    }

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
