package dev.moat.vault.store;

import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;

/** A connection pool, as the service has one (Agroal), so that tests do not open a connection per statement. */
public final class TestPools {

    private TestPools() {
    }

    public static DataSource pool(String jdbcUrl, String user, String password) {
        try {
            return AgroalDataSource.from(new AgroalPropertiesReader().readProperties(Map.of("jdbcUrl", jdbcUrl,
                    "principal", user, "credential", password, "minSize", "0", "maxSize", "8")));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot pool " + jdbcUrl, e);
        }
    }
}
