package dev.moat.audit.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.moat.audit.ingest.ConsumerState;
import dev.moat.audit.ingest.EventConsumer;

/**
 * Ready only while the broker answers and the event consumer is running: an instance that cannot read events
 * is not doing its job. The database has its own readiness check (the datasource's).
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private final BrokerProbe probe;
    private final EventConsumer consumer;

    @Inject
    KafkaReadinessCheck(BrokerProbe probe, EventConsumer consumer) {
        this.probe = probe;
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        BrokerProbe.Result broker = probe.probe();
        ConsumerState state = consumer.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka event consumer")
                .status(broker.reachable() && state.healthy())
                .withData("broker", broker.reachable() ? "reachable" : "unreachable: " + broker.problem())
                .withData("brokers", broker.brokers())
                .withData("consumer", state.phase())
                .withData("assignedPartitions", state.assignment().size());
        if (state.problem() != null) {
            response.withData("consumerProblem", state.problem());
        }
        return response.build();
    }
}
