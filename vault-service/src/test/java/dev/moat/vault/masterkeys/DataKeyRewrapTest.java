package dev.moat.vault.masterkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.vault.access.AccessPolicyEntry;
import dev.moat.vault.access.PermissionCategory;
import dev.moat.vault.crypto.MasterKey;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.crypto.VaultDataKeys;
import dev.moat.vault.masterkeys.MasterKeyHolders.Holder;
import dev.moat.vault.secrets.SecretService;
import dev.moat.vault.secrets.SecretStore;
import dev.moat.vault.secrets.SecretWrite;
import dev.moat.vault.store.JobRunner;
import dev.moat.vault.store.PostgresDatabases;
import dev.moat.vault.store.TestPools;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultProperties;
import dev.moat.vault.vaults.VaultStore;

/**
 * A rotation on the stores the service runs on (H2 and a real PostgreSQL server): two replicas' re-wrap jobs move every
 * data key to the new primary key, each vault once, in batches; every secret reads back under the old ring, the
 * rotating ring and the new key alone; the report and the start-up check say when the old key may go.
 */
class DataKeyRewrapTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** More vaults than one batch of the job runner, so that the job goes on batch after batch. */
    private static final int VAULTS = JobRunner.BATCH + 30;

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void two_replicas_rewrap_every_data_key_once_and_then_the_old_key_is_removable(String database) throws Exception {
        DataSource dataSource = database.equals("h2") ? h2() : PostgresDatabases.fresh();
        MasterKey old = randomKey();
        MasterKey next = randomKey();
        MasterKeyRing before = MasterKeyRing.of(old);
        MasterKeyRing adding = MasterKeyRing.of(old, List.of(next));
        MasterKeyRing rotating = MasterKeyRing.of(next, List.of(old));
        MasterKeyRing after = MasterKeyRing.of(next);

        VaultStore vaults = new VaultStore(dataSource, JSON);
        SecretService writer = secrets(dataSource, before);
        for (int i = 0; i < VAULTS; i++) {
            Vault vault = vault("rw" + i);
            vaults.insert(vault, ChangeEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setVault(vault.name()).build());
            writer.set(vault, "s", new SecretWrite("value-" + i, null, null, null, null, null));
        }
        MasterKeyHolders holders = new MasterKeyHolders(dataSource);
        long now = System.currentTimeMillis();
        holders.record("replica-1", rotating, now);
        holders.record("replica-2", adding, now);
        assertThat(MasterKeyReport.agreed(next.id(), holders.live(now, Duration.ofMinutes(1))))
                .as("a replica still wrapping under the old key holds the re-wrap back").isFalse();
        assertThat(MasterKeyRotation.refusal(after, "replica-1", counts(dataSource), List.of()))
                .hasValueSatisfying(message -> assertThat(message).contains(old.id(), "still wraps the data keys of "
                        + VAULTS + " vault(s)", "removable"));

        holders.record("replica-2", rotating, now);
        List<Holder> live = holders.live(now, Duration.ofMinutes(1));
        assertThat(MasterKeyReport.agreed(next.id(), live)).isTrue();
        MasterKeyReport.KeyUse oldUse = use(MasterKeyReport.of("replica-1", rotating, counts(dataSource), live), old);
        assertThat(oldUse.dataKeys()).isEqualTo(VAULTS);
        assertThat(oldUse.removable()).isFalse();

        DataKeyRewrap job = new DataKeyRewrap(dataSource, new VaultDataKeys(rotating, Clock.systemUTC()));
        CompletableFuture<Integer> one = CompletableFuture.supplyAsync(() -> JobRunner.on(dataSource, Clock.systemUTC())
                .run(job));
        CompletableFuture<Integer> two = CompletableFuture.supplyAsync(() -> JobRunner.on(dataSource, Clock.systemUTC())
                .run(job));
        assertThat(one.get() + two.get()).as("each vault re-wrapped once across the two replicas").isEqualTo(VAULTS);

        assertThat(counts(dataSource)).containsExactly(Map.entry(next.id(), (long) VAULTS));
        MasterKeyReport report = MasterKeyReport.of("replica-1", rotating, counts(dataSource), live);
        assertThat(use(report, old).dataKeys()).isZero();
        assertThat(use(report, old).removable()).isTrue();
        assertThat(use(report, next).removable()).isFalse();
        assertThat(MasterKeyRotation.refusal(after, "replica-1", counts(dataSource), live)).isEmpty();
        assertThat(JobRunner.on(dataSource, Clock.systemUTC()).run(job)).as("nothing left to do").isZero();

        for (MasterKeyRing ring : List.of(adding, rotating, after)) {
            SecretService reader = secrets(dataSource, ring);
            for (int i = 0; i < VAULTS; i += 7) {
                assertThat(reader.get(vaults.find("rw" + i).orElseThrow(), "s", null).value())
                        .isEqualTo("value-" + i);
            }
        }
    }

    private static MasterKeyReport.KeyUse use(MasterKeyReport report, MasterKey key) {
        return report.keys().stream().filter(k -> k.id().equals(key.id())).findFirst().orElseThrow();
    }

    private static Map<String, Long> counts(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return VaultDataKeys.countByMasterKey(c);
        }
    }

    private static SecretService secrets(DataSource dataSource, MasterKeyRing ring) {
        return new SecretService(new SecretStore(dataSource), ring, JSON);
    }

    private static DataSource h2() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "rewrap-h2-");
        DataSource dataSource = TestPools.pool("jdbc:h2:file:" + dir.resolve("vault") + ";DB_CLOSE_ON_EXIT=FALSE",
                "moat", "moat");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load()
                .migrate();
        return dataSource;
    }

    private static MasterKey randomKey() {
        byte[] material = new byte[MasterKey.BYTES];
        new java.security.SecureRandom().nextBytes(material);
        return MasterKey.of(material);
    }

    private static Vault vault(String name) {
        AccessPolicyEntry entry = new AccessPolicyEntry("t1", "alice", null,
                Map.of(PermissionCategory.SECRETS, List.of("get", "set")));
        return new Vault(name, "sub1", "rg1", "westeurope", Map.of(), new VaultProperties("t1", "A", "standard",
                new ArrayList<>(List.of(entry)), true, 90, null, false, "Enabled", false, false, false),
                new Vault.Owner("t1", "alice"));
    }
}
