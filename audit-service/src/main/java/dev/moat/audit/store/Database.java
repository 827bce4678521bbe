package dev.moat.audit.store;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;

/**
 * The one database audit-service uses: the embedded H2 file database by default, or PostgreSQL when its
 * datasource is activated at run time (see the README). Both are built in, so one jar serves both.
 */
@ApplicationScoped
public class Database {

    private final AgroalDataSource dataSource;

    @Inject
    Database(@Any InjectableInstance<AgroalDataSource> dataSources) {
        this.dataSource = dataSources.getActive();
    }

    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }
}
