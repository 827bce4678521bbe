package dev.moat.policy.store;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;

/**
 * The one database policy-service uses: whichever of its two built-in datasources is active, {@code h2} (the
 * embedded default) or {@code postgresql} (switched on at run time, see the README). Flyway migrates the same one.
 */
final class ActiveDataSource {

    private ActiveDataSource() {
    }

    @Produces
    @Singleton
    static DataSource active(@Any InjectableInstance<AgroalDataSource> dataSources) {
        return dataSources.getActive();
    }
}
