package dev.moat.vault.store;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;

/** The production store: a real PostgreSQL server, a new database per test, migrated as the service migrates it. */
class PostgresVaultStoreTest extends VaultStoreContract {

    private DataSource dataSource;

    @BeforeEach
    void newDatabase() {
        dataSource = PostgresDatabases.fresh();
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }
}
