package dev.moat.vault.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;

/**
 * The one datasource the stores use. Both kinds are built in (Quarkus fixes a datasource's kind at build time), as
 * the named datasources {@code h2} (active by default: the one-machine stack's file database) and {@code postgresql}
 * (inactive by default: the production store that replicas share); the operator activates exactly one with
 * {@code quarkus.datasource."h2"|"postgresql".active}. Flyway migrates whichever is active.
 */
@ApplicationScoped
public class ActiveDataSource {

    @Produces
    @ApplicationScoped
    AgroalDataSource active(@DataSource("h2") InjectableInstance<AgroalDataSource> h2,
            @DataSource("postgresql") InjectableInstance<AgroalDataSource> postgresql) {
        boolean h2Active = h2.getHandle().getBean().isActive();
        boolean postgresqlActive = postgresql.getHandle().getBean().isActive();
        if (h2Active == postgresqlActive) {
            throw new IllegalStateException("exactly one datasource must be active, but "
                    + (h2Active ? "both \"h2\" and \"postgresql\" are" : "neither \"h2\" nor \"postgresql\" is")
                    + ": set quarkus.datasource.h2.active and quarkus.datasource.postgresql.active");
        }
        return h2Active ? h2.get() : postgresql.get();
    }
}
