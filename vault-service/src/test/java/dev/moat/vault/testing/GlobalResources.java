package dev.moat.vault.testing;

import dev.moat.testing.kafka.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * The resources every {@code @QuarkusTest} of this module shares, started once: a real in-process Kafka broker, the
 * gRPC policy-service double and the test token issuer's keys, over a data directory emptied before the start.
 */
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PolicyServiceDouble.class)
@QuarkusTestResource(TestIdentity.class)
public final class GlobalResources {

    private GlobalResources() {
    }
}
