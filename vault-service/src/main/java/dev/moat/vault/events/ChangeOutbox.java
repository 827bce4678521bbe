package dev.moat.vault.events;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.moat.vault.config.VaultConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the shared {@link dev.moat.outbox.ChangeOutbox} relay for the management plane's change events while the
 * service is up. Changes are written with {@link dev.moat.outbox.ChangeOutbox#enqueue} in the same transaction as
 * the vault change (see {@code VaultStore}); the design is the same as policy-service's.
 */
@ApplicationScoped
public class ChangeOutbox {

    private final DataSource dataSource;
    private final VaultConfig config;
    private final String bootstrapServers;
    private dev.moat.outbox.ChangeOutbox outbox;

    public ChangeOutbox(DataSource dataSource, VaultConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.dataSource = dataSource;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        outbox = new dev.moat.outbox.ChangeOutbox(dataSource, bootstrapServers, config.events().changesTopic(),
                "vault-service", config.events().maxBlock(), config.events().outboxPollInterval());
    }

    void stop(@Observes ShutdownEvent event) {
        if (outbox != null) {
            outbox.close();
        }
    }
}
