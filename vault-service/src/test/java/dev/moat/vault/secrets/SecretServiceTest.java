package dev.moat.vault.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.moat.vault.objects.Deleted;
import dev.moat.vault.objects.Page;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.TrustsLocalCa;
import dev.moat.vault.testing.Vaults;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultStore;
import io.quarkus.test.junit.QuarkusTest;

/** The rules of secrets against the real store (H2 file database) and the real crypto. */
@QuarkusTest
class SecretServiceTest implements TrustsLocalCa {

    @Inject
    SecretService secrets;

    @Inject
    VaultStore vaults;

    private Vault vault(String name) {
        return vault(name, "");
    }

    private Vault vault(String name, String extraProperties) {
        Vaults.put(name, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all"))
                .replace("\"accessPolicies\"", extraProperties + "\"accessPolicies\""));
        return vaults.find(name).orElseThrow();
    }

    private static SecretWrite value(String value) {
        return new SecretWrite(value, null, Map.of(), null, null, null);
    }

    private static void assertRefused(Runnable call, int status, String code, String innerCode, String text) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(VaultObjectException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.innerCode()).isEqualTo(innerCode);
            assertThat(e.getMessage()).contains(text);
        });
    }

    @Test
    void each_set_adds_a_version_and_get_returns_the_latest_or_the_one_asked_for() {
        Vault vault = vault("svcversions");
        Secret first = secrets.set(vault, "Db-Password", new SecretWrite("one", "text/plain", Map.of("env", "prod"),
                null, null, null));
        Secret second = secrets.set(vault, "db-password", value("two"));

        assertThat(first.properties().version()).matches("[0-9a-f]{32}").isNotEqualTo(second.properties().version());
        assertThat(second.properties().name()).as("the name as first written").isEqualTo("Db-Password");
        assertThat(secrets.get(vault, "DB-PASSWORD", null).value()).isEqualTo("two");
        Secret old = secrets.get(vault, "db-password", first.properties().version());
        assertThat(old.value()).isEqualTo("one");
        assertThat(old.properties().contentType()).isEqualTo("text/plain");
        assertThat(old.properties().tags()).isEqualTo(Map.of("env", "prod"));
        assertThat(old.properties().attributes().enabled()).isTrue();
        assertThat(secrets.versions(vault, "db-password", null, 25).items()).extracting(SecretProperties::version)
                .containsExactly(first.properties().version(), second.properties().version());
        assertThat(old.toString()).doesNotContain("one");
    }

    @Test
    void unknown_names_and_versions_are_404() {
        Vault vault = vault("svcmissing");
        secrets.set(vault, "present", value("v"));

        assertRefused(() -> secrets.get(vault, "absent", null), 404, "SecretNotFound", null,
                "A secret with (name/id) absent was not found in this key vault");
        assertRefused(() -> secrets.get(vault, "present", "0123456789abcdef0123456789abcdef"), 404, "SecretNotFound",
                null, "present/0123456789abcdef0123456789abcdef");
    }

    @Test
    void a_disabled_not_yet_valid_or_expired_version_is_not_served_but_its_properties_are() {
        Vault vault = vault("svcvalidity");
        long now = Instant.now().getEpochSecond();
        secrets.set(vault, "disabled", new SecretWrite("v", null, Map.of(), false, null, null));
        secrets.set(vault, "later", new SecretWrite("v", null, Map.of(), null, now + 3600, null));
        secrets.set(vault, "expired", new SecretWrite("v", null, Map.of(), null, null, now - 1));

        assertRefused(() -> secrets.get(vault, "disabled", null), 403, "Forbidden", "SecretDisabled",
                "Operation get is not allowed on a disabled secret.");
        assertRefused(() -> secrets.get(vault, "later", null), 403, "Forbidden", "SecretNotYetValid", "not yet valid");
        assertRefused(() -> secrets.get(vault, "expired", null), 403, "Forbidden", "SecretExpired",
                "Operation get is not allowed on an expired secret");
        assertThat(secrets.list(vault, null, 25).items()).extracting(SecretProperties::name)
                .containsExactly("disabled", "expired", "later");

        secrets.update(vault, "disabled", null, new SecretPatch(false, null, true, false, null, false, null, null));
        assertThat(secrets.get(vault, "disabled", null).value()).isEqualTo("v");
    }

    @Test
    void update_changes_only_what_it_names() {
        Vault vault = vault("svcupdate");
        Secret set = secrets.set(vault, "s", new SecretWrite("v", "text/plain", Map.of("a", "1"), null, null,
                Instant.now().getEpochSecond() + 3600));

        SecretProperties updated = secrets.update(vault, "s", set.properties().version(),
                new SecretPatch(false, null, null, false, null, false, null, Map.of("b", "2")));

        assertThat(updated.tags()).isEqualTo(Map.of("b", "2"));
        assertThat(updated.contentType()).isEqualTo("text/plain");
        assertThat(updated.attributes().expires()).isEqualTo(set.properties().attributes().expires());
        assertThat(secrets.get(vault, "s", null).value()).isEqualTo("v");
    }

    @Test
    void delete_recover_and_purge_follow_soft_delete() {
        Vault vault = vault("svcsoftdelete");
        secrets.set(vault, "s", value("v1"));
        secrets.set(vault, "s", value("v2"));

        Deleted<SecretProperties> deleted = secrets.delete(vault, "s");
        assertThat(deleted.scheduledPurgeDate() - deleted.deletedDate()).isEqualTo(90L * 86_400);
        assertRefused(() -> secrets.get(vault, "s", null), 404, "SecretNotFound", null, "(name/id) s ");
        assertRefused(() -> secrets.set(vault, "s", value("v3")), 409, "Conflict", "ObjectIsDeletedButRecoverable",
                "Secret s is currently in a deleted but recoverable state, and its name cannot be reused; in this "
                        + "state, the secret can only be recovered or purged.");
        assertThat(secrets.listDeleted(vault, null, 25).items()).extracting(d -> d.object().name())
                .containsExactly("s");

        secrets.recover(vault, "s");
        assertThat(secrets.get(vault, "s", null).value()).isEqualTo("v2");
        assertThat(secrets.versions(vault, "s", null, 25).items()).hasSize(2);
        assertRefused(() -> secrets.recover(vault, "s"), 404, "SecretNotFound", null, "A deleted secret");

        secrets.delete(vault, "s");
        secrets.purge(vault, "s");
        assertRefused(() -> secrets.getDeleted(vault, "s"), 404, "SecretNotFound", null, "A deleted secret");
        assertThat(secrets.set(vault, "s", value("fresh")).value()).isEqualTo("fresh");
        assertThat(secrets.versions(vault, "s", null, 25).items()).hasSize(1);
    }

    @Test
    void purge_protection_forbids_purging_and_a_shorter_retention_shortens_the_schedule() {
        Vault vault = vault("svcprotected", "\"enablePurgeProtection\":true,\"softDeleteRetentionInDays\":7,");
        secrets.set(vault, "s", value("v"));
        Deleted<SecretProperties> deleted = secrets.delete(vault, "s");

        assertThat(deleted.scheduledPurgeDate() - deleted.deletedDate()).isEqualTo(7L * 86_400);
        assertRefused(() -> secrets.purge(vault, "s"), 403, "Forbidden", "PurgeProtectionEnabled",
                "purge protection is enabled");
    }

    @Test
    void a_backup_restores_every_version_into_any_vault_of_the_installation_but_never_over_a_name_in_use() {
        Vault source = vault("svcbackup");
        Vault target = vault("svcrestore");
        Secret v1 = secrets.set(source, "s", new SecretWrite("first value", "text/plain", Map.of("t", "1"), null,
                null, null));
        Secret v2 = secrets.set(source, "s", value("second value"));

        byte[] blob = secrets.backup(source, "s");
        assertThat(new String(blob, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("first value");

        assertRefused(() -> secrets.restore(source, blob), 409, "Conflict", "ObjectAlreadyExists", "already exists");
        SecretProperties restored = secrets.restore(target, blob);
        assertThat(restored.version()).isEqualTo(v2.properties().version());
        assertThat(secrets.get(target, "s", null).value()).isEqualTo("second value");
        Secret old = secrets.get(target, "s", v1.properties().version());
        assertThat(old.value()).isEqualTo("first value");
        assertThat(old.properties().tags()).isEqualTo(Map.of("t", "1"));
        assertThat(old.properties().attributes().created()).isEqualTo(v1.properties().attributes().created());

        byte[] tampered = blob.clone();
        tampered[tampered.length - 3] ^= 0x10;
        assertRefused(() -> secrets.restore(vault("svcrestore2"), tampered), 400, "BadParameter", null,
                "Cannot decrypt backup blob");
    }

    @Test
    void lists_page_by_name_and_versions_by_age() {
        Vault vault = vault("svcpaging");
        for (String name : List.of("e", "a", "d", "c", "b")) {
            secrets.set(vault, name, value("v"));
        }
        List<String> names = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            Page<SecretProperties> page = secrets.list(vault, next, 2);
            page.items().forEach(p -> names.add(p.name()));
            next = page.next();
            pages++;
        } while (next != null);

        assertThat(names).containsExactly("a", "b", "c", "d", "e");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void deleting_a_vault_removes_its_secrets_and_its_data_key() {
        Vault vault = vault("svcgone");
        secrets.set(vault, "s", value("v"));
        io.restassured.RestAssured.given()
                .header("Authorization", Tokens.management().objectId(Tokens.ADMIN).bearer())
                .when().delete(Vaults.path("svcgone")).then().statusCode(200);

        Vault again = vault("svcgone");
        assertRefused(() -> secrets.get(again, "s", null), 404, "SecretNotFound", null, "(name/id) s ");
    }
}
