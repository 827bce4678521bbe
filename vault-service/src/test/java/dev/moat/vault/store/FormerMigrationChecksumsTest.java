package dev.moat.vault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An installation made when V1, V3, V50 and V51 had an H2 and a PostgreSQL form still starts on today's single set of
 * migrations, on both databases; any other checksum still fails Flyway's validation. An old installation is simulated
 * exactly where it differs from a new one: the checksums in its {@code flyway_schema_history}.
 */
class FormerMigrationChecksumsTest {

    /** A database kind: how to get a freshly migrated one, its former checksums and the other kind's. */
    record Database(String name, Supplier<DataSource> fresh, Map<String, Integer> former,
            Map<String, Integer> otherDatabases) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Database> databases() {
        return Stream.of(
                new Database("H2", FormerMigrationChecksumsTest::freshH2, FormerMigrationChecksums.FORMER_H2,
                        FormerMigrationChecksums.FORMER_POSTGRESQL),
                new Database("PostgreSQL", PostgresDatabases::fresh, FormerMigrationChecksums.FORMER_POSTGRESQL,
                        FormerMigrationChecksums.FORMER_H2));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void a_new_installation_records_the_checksums_of_todays_files(Database database) throws SQLException {
        assertThat(recorded(database.fresh().get())).containsAllEntriesOf(FormerMigrationChecksums.CURRENT);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void an_installation_that_ran_the_former_files_of_its_database_validates_and_keeps_working(Database database)
            throws SQLException {
        DataSource dataSource = database.fresh().get();
        record(dataSource, database.former());

        flyway(dataSource).validate();
        flyway(dataSource).migrate();

        assertThat(recorded(dataSource)).containsAllEntriesOf(FormerMigrationChecksums.CURRENT);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO vault (name, subscription_id, resource_group, owner_tenant_id, owner_object_id,"
                    + " document, created_at, updated_at, etag) VALUES ('v1', 's', 'rg', 't', 'o', '{}',"
                    + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'e1')");
            s.executeUpdate("INSERT INTO secret (vault, name_key, name, latest_version) VALUES ('v1', 'a', 'A', '"
                    + "0".repeat(32) + "')");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void a_checksum_of_no_former_file_of_that_database_still_fails_validation(Database database)
            throws SQLException {
        DataSource unknown = database.fresh().get();
        record(unknown, Map.of("3", 12345));
        assertThatThrownBy(() -> flyway(unknown).validate()).isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("checksum mismatch").hasMessageContaining("12345");
        assertThat(recorded(unknown)).containsEntry("3", 12345);

        DataSource other = database.fresh().get();
        record(other, Map.of("51", database.otherDatabases().get("51")));
        assertThatThrownBy(() -> flyway(other).validate()).isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("checksum mismatch");
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .callbacks(new FormerMigrationChecksums()).load();
    }

    private static DataSource freshH2() {
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "vault-h2-");
            DataSource dataSource = TestPools.pool("jdbc:h2:file:" + dir.resolve("vault") + ";DB_CLOSE_ON_EXIT=FALSE",
                    "moat", "moat");
            VaultStoreContract.migrate(dataSource, "classpath:db/migration");
            return dataSource;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void record(DataSource dataSource, Map<String, Integer> checksums) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE \"flyway_schema_history\" SET \"checksum\" = ? WHERE \"version\" = ?")) {
            for (Map.Entry<String, Integer> e : checksums.entrySet()) {
                s.setInt(1, e.getValue());
                s.setString(2, e.getKey());
                assertThat(s.executeUpdate()).as("version %s is recorded", e.getKey()).isOne();
            }
        }
    }

    static Map<String, Integer> recorded(DataSource dataSource) throws SQLException {
        Map<String, Integer> recorded = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT \"version\", \"checksum\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            while (rs.next()) {
                recorded.put(rs.getString(1), rs.getInt(2));
            }
        }
        return recorded;
    }
}
