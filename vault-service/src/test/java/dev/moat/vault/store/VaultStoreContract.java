package dev.moat.vault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.vault.access.AccessPolicyEntry;
import dev.moat.vault.access.PermissionCategory;
import dev.moat.vault.certificates.CertificateSettings;
import dev.moat.vault.crypto.MasterKey;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.keys.KeyBundle;
import dev.moat.vault.keys.KeyCreate;
import dev.moat.vault.keys.KeyCryptography;
import dev.moat.vault.keys.KeyRepository;
import dev.moat.vault.keys.KeyRotator;
import dev.moat.vault.keys.KeyService;
import dev.moat.vault.keys.RotationPolicy;
import dev.moat.vault.management.VirtualNetworkMetaStore;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.secrets.SecretProperties;
import dev.moat.vault.secrets.SecretService;
import dev.moat.vault.secrets.SecretStore;
import dev.moat.vault.secrets.SecretWrite;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultProperties;
import dev.moat.vault.vaults.VaultStore;

/**
 * What every supported database must do for vault-service: each store (vaults and their access policies, secrets,
 * keys and their rotation policies, certificate contacts and issuers, virtual-network metadata, the change outbox,
 * the soft-delete lifecycle and its purge) works the same on it, migrated by the same Flyway configuration as the
 * service's; and two replicas (two stacks of stores on one database, one master key) serve each other's writes at
 * once. Run on H2 ({@link H2VaultStoreTest}) and on a real PostgreSQL server ({@link PostgresVaultStoreTest}).
 */
abstract class VaultStoreContract {

    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final MasterKeyRing MASTER_KEY = MasterKeyRing.of(MasterKey.of(random(MasterKey.BYTES)));

    /** A data source on the (already migrated) database under test; the same database for every call. */
    abstract DataSource dataSource();

    /** Migrates with the Flyway locations the service uses for that database (application.properties). */
    static void migrate(DataSource dataSource, String... locations) {
        Flyway.configure().dataSource(dataSource).locations(locations).callbacks(new FormerMigrationChecksums()).load()
                .migrate();
    }

    /** One replica's stores and services, as CDI would make them. */
    record Replica(VaultStore vaults, SecretService secrets, KeyService keys, KeyRotator rotator,
            KeyCryptography cryptography, CertificateSettings settings, VirtualNetworkMetaStore networks) {
    }

    Replica replica() {
        DataSource dataSource = dataSource();
        VaultStore vaults = new VaultStore(dataSource, JSON);
        KeyService keys = new KeyService(new KeyRepository(dataSource), MASTER_KEY, JSON);
        return new Replica(vaults, new SecretService(new SecretStore(dataSource), MASTER_KEY, JSON), keys,
                new KeyRotator(keys, new KeyRepository(dataSource), JSON, vaults), new KeyCryptography(keys),
                new CertificateSettings(dataSource, JSON), new VirtualNetworkMetaStore(dataSource));
    }

    static Vault vault(String name, String objectId, String... secretPermissions) {
        AccessPolicyEntry entry = new AccessPolicyEntry("t1", objectId, null,
                Map.of(PermissionCategory.SECRETS, List.of(secretPermissions)));
        return new Vault(name, "sub1", "rg1", "westeurope", Map.of("env", "test"), new VaultProperties("t1", "A",
                "standard", List.of(entry), true, 90, null, false, "Enabled", false, false, false),
                new Vault.Owner("t1", objectId));
    }

    static ChangeEvent change(String vault) {
        return ChangeEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setVault(vault).build();
    }

    @Test
    void vaults_and_their_access_policies_round_trip_with_their_change_event() throws Exception {
        Replica one = replica();
        Vault vault = vault("contractvault", "alice", "get", "list");
        one.vaults().insert(vault, change("contractvault"));

        assertThat(one.vaults().find("contractvault")).contains(vault);
        assertThat(one.vaults().list("SUB1", null)).extracting(Vault::name).contains("contractvault");
        assertThat(one.vaults().list("sub1", "RG1")).extracting(Vault::name).contains("contractvault");
        assertThatThrownBy(() -> one.vaults().insert(vault, change("contractvault")))
                .as("a vault name is taken once").isInstanceOf(IllegalStateException.class);

        Vault changed = vault("contractvault", "bob", "all");
        one.vaults().replace(changed, change("contractvault"));
        assertThat(one.vaults().find("contractvault").orElseThrow().properties().accessPolicies())
                .isEqualTo(changed.properties().accessPolicies());
        assertThat(outboxRows("contractvault")).isEqualTo(2);

        assertThat(one.vaults().delete("contractvault", change("contractvault"))).isTrue();
        assertThat(one.vaults().find("contractvault")).isEmpty();
        assertThat(one.vaults().delete("contractvault", change("contractvault"))).isFalse();
        assertThat(outboxRows("contractvault")).as("no event for a delete that deleted nothing").isEqualTo(3);
    }

    @Test
    void secrets_keep_versions_soft_delete_recover_page_and_purge() {
        Replica one = replica();
        Vault vault = vault("contractsecrets", "alice", "all");
        one.vaults().insert(vault, null);
        String first = one.secrets().set(vault, "Db-Password", new SecretWrite("one", "text/plain",
                Map.of("env", "prod"), null, null, null)).properties().version();
        one.secrets().set(vault, "db-password", new SecretWrite("two", null, Map.of(), null, null, null));
        for (int i = 0; i < 5; i++) {
            one.secrets().set(vault, "page-" + i, new SecretWrite("v" + i, null, Map.of(), null, null, null));
        }

        assertThat(one.secrets().get(vault, "DB-PASSWORD", null).value()).isEqualTo("two");
        assertThat(one.secrets().get(vault, "db-password", first).value()).isEqualTo("one");
        assertThatThrownBy(() -> one.secrets().get(vault, "db-password", "0123456789abcdef0123456789abcdef"))
                .isInstanceOf(VaultObjectException.class).hasMessageContaining("db-password/0123456789abcdef");
        assertThat(one.secrets().versions(vault, "db-password", null, 1).items()).extracting(SecretProperties::version)
                .containsExactly(first);
        List<String> names = new ArrayList<>();
        String next = null;
        do {
            var page = one.secrets().list(vault, next, 2);
            page.items().forEach(p -> names.add(p.name()));
            next = page.next();
        } while (next != null);
        assertThat(names).containsExactly("Db-Password", "page-0", "page-1", "page-2", "page-3", "page-4");

        one.secrets().delete(vault, "page-0");
        assertThatThrownBy(() -> one.secrets().get(vault, "page-0", null)).as("a deleted secret is not served")
                .isInstanceOf(VaultObjectException.class).hasMessageContaining("page-0 was not found");
        assertThatThrownBy(() -> one.secrets().set(vault, "page-0", new SecretWrite("x", null, Map.of(), null, null,
                null))).isInstanceOf(VaultObjectException.class);
        assertThat(one.secrets().listDeleted(vault, null, 25).items()).hasSize(1);
        one.secrets().recover(vault, "page-0");
        assertThat(one.secrets().get(vault, "page-0", null).value()).isEqualTo("v0");

        one.secrets().delete(vault, "page-1");
        pastPurgeDate("secret", "contractsecrets", "page-1");
        assertThat(one.secrets().purgeDue()).isEqualTo(1);
        assertThat(one.secrets().listDeleted(vault, null, 25).items()).isEmpty();
        assertThat(one.secrets().purgeDue()).as("purged once").isZero();
    }

    @Test
    void keys_rotate_keep_a_rotation_policy_sign_and_are_purged() {
        Replica one = replica();
        Vault vault = vault("contractkeys", "alice", "all");
        one.vaults().insert(vault, null);
        KeyBundle rsa = one.keys().create(vault, "signer", new KeyCreate("RSA", 2048, null, null, null, null, null,
                null, Map.of()));
        one.keys().create(vault, "ec", new KeyCreate("EC", null, null, "P-256", null, null, null, null, Map.of()));
        KeyBundle rotated = one.rotator().rotate(vault, "signer");
        RotationPolicy policy = one.rotator().setRotationPolicy(vault, "signer", "P90D",
                List.of(new RotationPolicy.LifetimeAction("P30D", null, "Rotate")));

        assertThat(rotated.version()).isNotEqualTo(rsa.version());
        assertThat(rotated.key().n()).isNotEqualTo(rsa.key().n());
        assertThat(one.keys().versions(vault, "signer", null, 25).items()).hasSize(2);
        assertThat(one.rotator().rotationPolicy(vault, "signer").lifetimeActions()).isEqualTo(policy.lifetimeActions());
        byte[] digest = random(32);
        var signature = one.cryptography().sign(vault, "signer", null, "RS256", digest, "test");
        assertThat(one.cryptography().verify(vault, "signer", null, "RS256", digest, signature.value(), "test")).isTrue();

        one.keys().delete(vault, "ec");
        assertThatThrownBy(() -> one.keys().create(vault, "ec", new KeyCreate("EC", null, null, null, null, null, null,
                null, Map.of()))).isInstanceOf(VaultObjectException.class);
        pastPurgeDate("vault_key", "contractkeys", "ec");
        assertThat(one.keys().purgeDue()).isEqualTo(1);
        assertThat(one.keys().listDeleted(vault, null, 25).items()).isEmpty();
    }

    @Test
    void certificate_contacts_and_issuers_and_network_metadata_are_kept() {
        Replica one = replica();
        Vault vault = vault("contractsettings", "alice", "all");
        one.vaults().insert(vault, null);
        one.settings().setContacts(vault, List.of(new CertificateSettings.Contact("ops@example.com", "Ops", null)));
        one.settings().putIssuer(vault, "Digi", new CertificateSettings.IssuerChange("DigiCert", "acct", null, true),
                true);
        one.settings().putIssuer(vault, "digi", new CertificateSettings.IssuerChange(null, "acct2", null, null), false);

        assertThat(one.settings().contacts(vault)).extracting(CertificateSettings.Contact::email)
                .containsExactly("ops@example.com");
        assertThat(one.settings().issuer(vault, "DIGI").accountId()).isEqualTo("acct2");
        assertThat(one.settings().issuers(vault, null, 25).items()).hasSize(1);

        String id = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/Corp";
        one.networks().save(id, "{\"location\":\"a\"}");
        one.networks().save(id.toLowerCase(), "{\"location\":\"b\"}");
        assertThat(one.networks().find(id)).contains("{\"location\":\"b\"}");
        one.networks().delete(id);
        assertThat(one.networks().find(id)).isEmpty();
    }

    @Test
    void a_change_through_one_replica_is_what_the_other_serves_at_once() {
        Replica one = replica();
        Replica two = replica();
        one.vaults().insert(vault("contractshared", "alice", "get"), null);
        Vault seenByTwo = two.vaults().find("contractshared").orElseThrow();

        one.secrets().set(seenByTwo, "shared", new SecretWrite("from one", null, Map.of(), null, null, null));
        assertThat(two.secrets().get(seenByTwo, "shared", null).value()).as("sealed by one, opened by two")
                .isEqualTo("from one");
        one.secrets().set(seenByTwo, "shared", new SecretWrite("changed by one", null, Map.of(), null, null, null));
        assertThat(two.secrets().get(seenByTwo, "shared", null).value()).isEqualTo("changed by one");

        one.vaults().replace(vault("contractshared", "bob", "get"), null);
        assertThat(two.vaults().find("contractshared").orElseThrow().properties().accessPolicies())
                .extracting(AccessPolicyEntry::objectId).containsExactly("bob");

        // two keeps parsed vaults in memory: a vault deleted and created again by one is the new one for two
        one.vaults().delete("contractshared", null);
        assertThat(two.vaults().find("contractshared")).isEmpty();
        one.vaults().insert(vault("contractshared", "carol", "get"), null);
        assertThat(two.vaults().find("contractshared").orElseThrow().properties().accessPolicies())
                .extracting(AccessPolicyEntry::objectId).containsExactly("carol");
        one.vaults().delete("contractshared", null);
        one.vaults().insert(vault("contractshared", "dave", "get"), null);
        assertThat(two.vaults().find("contractshared").orElseThrow().properties().accessPolicies())
                .extracting(AccessPolicyEntry::objectId).containsExactly("dave");
    }

    private int outboxRows(String vault) throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM change_outbox WHERE vault = '" + vault + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    void pastPurgeDate(String table, String vault, String nameKey) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + table + " SET scheduled_purge_at = 1 WHERE vault = '" + vault
                    + "' AND name_key = '" + nameKey + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
