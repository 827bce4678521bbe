package dev.moat.vault.keys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.TestHttps;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** A soft-deleted key is purged for good once its scheduledPurgeDate has passed, and not before. */
@QuarkusTest
class ScheduledKeyPurgeTest {

    private static final String VAULT = "keypurge";

    @Inject
    KeyService keys;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void https() {
        TestHttps.trustLocalCa();
    }

    private static RequestSpecification alice() {
        return given().header("Host", Vaults.host(VAULT))
                .header("Authorization", Tokens.dataPlane().objectId(Tokens.ALICE).bearer())
                .queryParam("api-version", "7.5");
    }

    @Test
    void a_deleted_key_past_its_purge_date_is_purged_and_one_within_it_is_kept() throws Exception {
        PolicyServiceDouble.reset();
        Vaults.put(VAULT, Vaults.body(Vaults.policy(Tokens.ALICE, "keys", "all")));
        for (String name : new String[] {"due", "kept"}) {
            alice().contentType(ContentType.JSON).body("{\"kty\":\"EC\"}").when().post("/keys/" + name + "/create")
                    .then().statusCode(200);
            alice().when().delete("/keys/" + name).then().statusCode(200);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE vault_key SET scheduled_purge_at = 1 WHERE vault = '" + VAULT
                    + "' AND name_key = 'due'");
        }

        assertThat(keys.purgeDue()).isGreaterThanOrEqualTo(1);

        alice().when().get("/deletedkeys/due").then().statusCode(404);
        alice().when().get("/deletedkeys/kept").then().statusCode(200);
        alice().contentType(ContentType.JSON).body("{\"kty\":\"EC\"}").when().post("/keys/due/create")
                .then().statusCode(200);
    }
}
