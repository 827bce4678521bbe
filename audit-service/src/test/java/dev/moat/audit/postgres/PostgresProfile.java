package dev.moat.audit.postgres;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Runs the service on PostgreSQL instead of the embedded H2 default. */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
    }
}
