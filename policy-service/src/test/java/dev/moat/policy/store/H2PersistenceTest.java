package dev.moat.policy.store;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;

/** The default store: an H2 file database. */
class H2PersistenceTest extends PolicyPersistenceContract {

    private Path dir;

    @BeforeEach
    void newDatabase() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "policy-h2-");
    }

    @Override
    DataSource dataSource() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("policy") + ";DB_CLOSE_ON_EXIT=FALSE");
        dataSource.setUser("moat");
        dataSource.setPassword("moat");
        return dataSource;
    }

    @Override
    void restartDatabase() {
        // embedded: the database closes with its last connection and reopens from the file
    }
}
