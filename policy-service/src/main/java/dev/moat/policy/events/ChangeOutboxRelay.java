package dev.moat.policy.events;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.moat.outbox.ChangeOutbox;
import dev.moat.policy.config.PolicyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the shared {@link ChangeOutbox} relay for policy-service's change events while the service is up. Changes
 * are written with {@link ChangeOutbox#enqueue} in their own transaction (see {@code PolicyAdmin}).
 */
@ApplicationScoped
public class ChangeOutboxRelay {

    private final DataSource dataSource;
    private final PolicyConfig config;
    private final String bootstrapServers;
    private ChangeOutbox outbox;

    public ChangeOutboxRelay(DataSource dataSource, PolicyConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.dataSource = dataSource;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        outbox = new ChangeOutbox(dataSource, bootstrapServers, config.events().changesTopic(), "policy-service",
                config.events().maxBlock(), config.propagation().pollInterval());
    }

    void stop(@Observes ShutdownEvent event) {
        if (outbox != null) {
            outbox.close();
        }
    }
}
