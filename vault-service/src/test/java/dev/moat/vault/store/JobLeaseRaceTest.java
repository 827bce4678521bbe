package dev.moat.vault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.moat.vault.certificates.CertificatePolicy;
import dev.moat.vault.certificates.CertificateRepository;
import dev.moat.vault.certificates.CertificateRequest;
import dev.moat.vault.certificates.CertificateService;
import dev.moat.vault.keys.KeyCreate;
import dev.moat.vault.keys.KeyRepository;
import dev.moat.vault.keys.KeyRotator;
import dev.moat.vault.keys.KeyService;
import dev.moat.vault.keys.RotationPolicy;
import dev.moat.vault.secrets.SecretService;
import dev.moat.vault.secrets.SecretStore;
import dev.moat.vault.secrets.SecretWrite;
import dev.moat.vault.testing.Sql;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultStore;

/**
 * Background work runs once with several replicas: two replicas (two stacks of services on one real PostgreSQL, in
 * two threads started together) race over many due objects of each job, and each object is done exactly once; a
 * runner that takes a lease and dies leaves the object to another runner once the lease expires, and cannot complete
 * it late.
 */
class JobLeaseRaceTest {

    private static final String VAULT = "racevault";
    /** Short enough for a test to see a lease expire. */
    private static final Duration SHORT_LEASE = Duration.ofSeconds(1);
    private DataSource dataSource;
    /** The first replica, and the vault it created; each test adds the runners it races against it. */
    private Replica one;
    private Vault vault;

    @BeforeEach
    void newDatabase() {
        dataSource = PostgresDatabases.fresh();
        one = replica();
        one.vaults().insert(VaultStoreContract.vault(VAULT, "alice", "all"), null);
        vault = one.vaults().find(VAULT).orElseThrow();
    }

    /** One replica's services on the shared database. */
    record Replica(VaultStore vaults, SecretService secrets, KeyService keys, KeyRotator rotator,
            CertificateService certificates) {
    }

    private Replica replica() {
        VaultStore vaults = new VaultStore(dataSource, VaultStoreContract.JSON);
        SecretService secrets = new SecretService(new SecretStore(dataSource), VaultStoreContract.MASTER_KEY,
                VaultStoreContract.JSON);
        KeyService keys = new KeyService(new KeyRepository(dataSource), VaultStoreContract.MASTER_KEY,
                VaultStoreContract.JSON);
        return new Replica(vaults, secrets, keys, new KeyRotator(keys, new KeyRepository(dataSource),
                VaultStoreContract.JSON, vaults), new CertificateService(new CertificateRepository(dataSource), keys,
                secrets, vaults, VaultStoreContract.MASTER_KEY, VaultStoreContract.JSON));
    }

    /**
     * Runs both replicas' job at the same moment, and checks that between them they did each of the {@code due}
     * objects, none twice.
     */
    private static void raceDoingEachOnce(String what, int due, IntSupplier one, IntSupplier two) throws Exception {
        int[] done = race(one, two);
        assertThat(done[0] + done[1]).as("%s by exactly one replica (%d + %d)", what, done[0], done[1])
                .isEqualTo(due);
    }

    /** @return how many objects each one did */
    private static int[] race(IntSupplier one, IntSupplier two) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Callable<Integer> first = () -> {
                start.await();
                return one.getAsInt();
            };
            Callable<Integer> second = () -> {
                start.await();
                return two.getAsInt();
            };
            Future<Integer> a = threads.submit(first);
            Future<Integer> b = threads.submit(second);
            start.countDown();
            return new int[] {a.get(), b.get()};
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void two_replicas_purging_at_once_purge_each_due_secret_exactly_once() throws Exception {
        Replica two = replica();
        int due = 300;
        for (int i = 0; i < due; i++) {
            one.secrets().set(vault, "s" + i, new SecretWrite("v", null, Map.of(), null, null, null));
        }
        one.secrets().set(vault, "kept", new SecretWrite("v", null, Map.of(), null, null, null));
        execute("UPDATE secret SET deleted_at = 1, scheduled_purge_at = 2 WHERE name_key <> 'kept'");

        raceDoingEachOnce("each due secret purged", due, one.secrets()::purgeDue, two.secrets()::purgeDue);

        assertThat(count("SELECT COUNT(*) FROM secret")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM job_lease")).as("no lease left behind").isZero();
    }

    @Test
    void two_replicas_rotating_at_once_give_each_due_key_exactly_one_new_version() throws Exception {
        Replica two = replica();
        int due = 40;
        for (int i = 0; i < due; i++) {
            one.keys().create(vault, "k" + i, new KeyCreate("EC", null, null, "P-256", null, null, null, null, Map.of()));
            one.rotator().setRotationPolicy(vault, "k" + i, null,
                    List.of(new RotationPolicy.LifetimeAction("P7D", null, "Rotate")));
        }
        execute("UPDATE vault_key_version SET created = created - 8 * 86400");

        raceDoingEachOnce("each due key rotated", due, () -> one.rotator().rotateDue(one.vaults()::find),
                () -> two.rotator().rotateDue(two.vaults()::find));

        assertThat(count("SELECT COUNT(*) FROM vault_key_version")).as("one new version per key").isEqualTo(2 * due);
        assertThat(one.rotator().rotateDue(one.vaults()::find)).as("nothing due any more").isZero();
    }

    @Test
    void two_replicas_sweeping_at_once_finish_each_pending_certificate_exactly_once() throws Exception {
        Replica two = replica();
        int due = 12;
        CertificatePolicy policy = new CertificatePolicy("EC", null, "P-256", false, false, CertificatePolicy.PKCS12,
                "CN=race", List.of(), List.of(), List.of(), List.of(), List.of(), 12, "Self", null, List.of(), true);
        for (int i = 0; i < due; i++) {
            one.certificates().create(vault, "c" + i, new CertificateRequest(policy, null, null, null, Map.of()));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT COUNT(*) FROM certificate_operation "
                + "WHERE status = 'completed'") == due);
        // as after a stop between each create and its completion
        execute("UPDATE certificate_operation SET status = 'inProgress'");

        raceDoingEachOnce("each pending certificate finished", due, one.certificates()::finishPending,
                two.certificates()::finishPending);

        assertThat(count("SELECT COUNT(*) FROM certificate_version")).as("one new version each").isEqualTo(2 * due);
        assertThat(count("SELECT COUNT(*) FROM vault_key_version")).isEqualTo(2 * due);
        assertThat(count("SELECT COUNT(*) FROM certificate_operation WHERE status = 'completed'")).isEqualTo(due);
    }

    @Test
    void a_lease_whose_runner_died_is_taken_over_after_it_expires_and_the_late_runner_cannot_complete()
            throws Exception {
        String item = deletedSecretDueForPurge("orphan");
        LeasedJob purge = VaultObjectTables.SECRETS.purgeJob(dataSource, Clock.systemUTC());
        JobLeases dead = shortLeases();
        JobRunner survivor = new JobRunner(shortLeases(), 10);

        Lease taken = dead.claim(purge.name(), item).orElseThrow();
        assertThat(survivor.run(purge)).as("held by the runner that died").isZero();
        assertThat(count("SELECT COUNT(*) FROM secret")).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> survivor.run(purge) == 1);
        assertThat(count("SELECT COUNT(*) FROM secret")).isZero();
        assertThat(purge.process(item, taken)).as("nothing left for the late runner").isFalse();
    }

    @Test
    void a_runner_whose_lease_was_taken_over_rolls_its_effect_back() throws Exception {
        String item = deletedSecretDueForPurge("contested");
        LeasedJob purge = VaultObjectTables.SECRETS.purgeJob(dataSource, Clock.systemUTC());
        JobLeases slow = shortLeases();
        JobLeases other = shortLeases();
        Lease stale = slow.claim(purge.name(), item).orElseThrow();

        Optional<Lease> takenOver = await().atMost(Duration.ofSeconds(10))
                .until(() -> other.claim(purge.name(), item), Optional::isPresent);

        assertThatThrownBy(() -> purge.process(item, stale)).isInstanceOf(LeaseLostException.class);
        assertThat(count("SELECT COUNT(*) FROM secret")).as("the stale runner's purge was rolled back").isEqualTo(1);
        assertThat(purge.process(item, takenOver.orElseThrow())).isTrue();
        assertThat(count("SELECT COUNT(*) FROM secret")).isZero();
    }

    /** Stores a secret and soft-deletes it with its purge date passed. @return its item in the purge job */
    private String deletedSecretDueForPurge(String name) throws SQLException {
        one.secrets().set(vault, name, new SecretWrite("v", null, Map.of(), null, null, null));
        execute("UPDATE secret SET deleted_at = 1, scheduled_purge_at = 2");
        return VaultObjectTables.item(VAULT, name);
    }

    private JobLeases shortLeases() {
        return new JobLeases(dataSource, SHORT_LEASE, Clock.systemUTC());
    }

    private void execute(String sql) throws SQLException {
        Sql.execute(dataSource, sql);
    }

    private int count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
