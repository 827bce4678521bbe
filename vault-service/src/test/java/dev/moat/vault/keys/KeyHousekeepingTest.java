package dev.moat.vault.keys;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.moat.vault.testing.Sql;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.TrustsLocalCa;
import dev.moat.vault.testing.Vaults;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * A soft-deleted key is purged for good once its scheduledPurgeDate has passed, and not before; a key whose rotation
 * policy's Rotate action is due is rotated.
 */
@QuarkusTest
class KeyHousekeepingTest implements TrustsLocalCa {

    private static final String VAULT = "keypurge";

    @Inject
    KeyService keys;

    @Inject
    AgroalDataSource dataSource;

    private static RequestSpecification alice() {
        return Vaults.as(VAULT, Tokens.ALICE, "7.5");
    }

    @BeforeEach
    void vaultWhereAliceHoldsEveryKeyPermission() {
        PolicyServiceDouble.reset();
        Vaults.put(VAULT, Vaults.body(Vaults.policy(Tokens.ALICE, "keys", "all")));
    }

    @Inject
    KeyRotator rotator;

    @Test
    void a_key_whose_rotation_policy_is_due_gets_a_new_version_expiring_as_the_policy_says() throws Exception {
        for (String name : new String[] {"rotates", "waits"}) {
            alice().contentType(ContentType.JSON).body("{\"kty\":\"EC\"}").when().post("/keys/" + name + "/create")
                    .then().statusCode(200);
            alice().contentType(ContentType.JSON).body("{\"lifetimeActions\":[{\"trigger\":{\"timeAfterCreate\":"
                    + "\"P7D\"},\"action\":{\"type\":\"Rotate\"}}],\"attributes\":{\"expiryTime\":\"P28D\"}}")
                    .when().put("/keys/" + name + "/rotationpolicy").then().statusCode(200);
        }
        Sql.execute(dataSource, "UPDATE vault_key_version SET created = created - 8 * 86400 WHERE vault = '" + VAULT
                + "' AND name_key = 'rotates'");

        assertThat(rotator.rotate()).isEqualTo(1);

        assertThat(alice().when().get("/keys/rotates/versions").then().extract().<java.util.List<String>>path(
                "value.kid")).hasSize(2);
        assertThat(alice().when().get("/keys/waits/versions").then().extract().<java.util.List<String>>path(
                "value.kid")).hasSize(1);
        long exp = alice().when().get("/keys/rotates").then().extract().jsonPath().getLong("attributes.exp");
        assertThat(exp - java.time.Instant.now().getEpochSecond()).isBetween(28 * 86_400L - 60, 28 * 86_400L + 60);
        assertThat(rotator.rotate()).as("the new version is not due yet").isZero();
    }

    @Test
    void a_deleted_key_past_its_purge_date_is_purged_and_one_within_it_is_kept() throws Exception {
        for (String name : new String[] {"due", "kept"}) {
            alice().contentType(ContentType.JSON).body("{\"kty\":\"EC\"}").when().post("/keys/" + name + "/create")
                    .then().statusCode(200);
            alice().when().delete("/keys/" + name).then().statusCode(200);
        }
        Sql.execute(dataSource, "UPDATE vault_key SET scheduled_purge_at = 1 WHERE vault = '" + VAULT
                + "' AND name_key = 'due'");

        assertThat(keys.purgeDue()).isGreaterThanOrEqualTo(1);

        alice().when().get("/deletedkeys/due").then().statusCode(404);
        alice().when().get("/deletedkeys/kept").then().statusCode(200);
        alice().contentType(ContentType.JSON).body("{\"kty\":\"EC\"}").when().post("/keys/due/create")
                .then().statusCode(200);
    }
}
