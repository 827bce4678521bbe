package dev.moat.vault.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.moat.vault.events.DecisionPublisher;
import dev.moat.vault.events.DecisionSpool;

/**
 * Ready while data-plane requests can be recorded: down only when the decision event spool is full and set to
 * reject (requests get 503 then). Kafka being away does not make the service unready: events wait in the spool, and
 * the data shows it ({@code kafka}: {@code delivering} or {@code unreachable}).
 */
@Readiness
@ApplicationScoped
public class DecisionEventsReadiness implements HealthCheck {

    private final DecisionPublisher events;

    public DecisionEventsReadiness(DecisionPublisher events) {
        this.events = events;
    }

    @Override
    public HealthCheckResponse call() {
        DecisionSpool spool = events.spool();
        return HealthCheckResponse.named("decision-events")
                .status(!spool.refusing())
                .withData("spoolDepth", spool.depth())
                .withData("spoolCapacity", spool.capacity())
                .withData("dropped", spool.dropped())
                .withData("kafka", events.kafkaReachable() ? "delivering" : "unreachable")
                .build();
    }
}
