package dev.moat.vault.store;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;

/** The default store: an H2 file database, migrated as the service migrates it. */
class H2VaultStoreTest extends VaultStoreContract {

    private JdbcDataSource dataSource;

    @BeforeEach
    void newDatabase() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "vault-h2-");
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("vault") + ";DB_CLOSE_ON_EXIT=FALSE");
        dataSource.setUser("moat");
        dataSource.setPassword("moat");
        migrate(dataSource, "classpath:db/migration", "classpath:db/h2");
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }
}
