package dev.moat.vault.store;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;

/** The default store: an H2 file database, migrated as the service migrates it. */
class H2VaultStoreTest extends VaultStoreContract {

    private DataSource dataSource;

    @BeforeEach
    void newDatabase() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "vault-h2-");
        dataSource = TestPools.pool("jdbc:h2:file:" + dir.resolve("vault") + ";DB_CLOSE_ON_EXIT=FALSE", "moat", "moat");
        migrate(dataSource, "classpath:db/migration");
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }
}
