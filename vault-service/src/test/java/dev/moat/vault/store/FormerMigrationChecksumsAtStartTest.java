package dev.moat.vault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The service's own Flyway (application.properties) accepts an H2 installation made with the former H2 files: the
 * callback is wired to the datasource, not only to the tests' Flyway.
 */
@QuarkusTest
class FormerMigrationChecksumsAtStartTest {

    @Inject
    @FlywayDataSource("h2")
    Flyway flyway;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void restoreTodaysChecksums() throws Exception {
        FormerMigrationChecksumsTest.record(dataSource, FormerMigrationChecksums.CURRENT);
    }

    @Test
    void the_service_validates_an_h2_installation_made_with_the_former_h2_files() throws Exception {
        FormerMigrationChecksumsTest.record(dataSource, FormerMigrationChecksums.FORMER_H2);

        flyway.validate();

        assertThat(FormerMigrationChecksumsTest.recorded(dataSource))
                .containsAllEntriesOf(FormerMigrationChecksums.CURRENT);
    }

    @Test
    void the_service_still_refuses_a_checksum_of_no_former_file() throws Exception {
        FormerMigrationChecksumsTest.record(dataSource, Map.of("50", 12345));

        assertThatThrownBy(flyway::validate).isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("checksum mismatch");
    }
}
