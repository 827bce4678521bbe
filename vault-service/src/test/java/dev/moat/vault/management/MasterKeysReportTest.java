package dev.moat.vault.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.moat.vault.testing.TestHttps;
import dev.moat.vault.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The master-key report on the management plane: administrators and readers see, per key id, the data keys still
 * wrapped under it and whether it can be removed (the one key of this instance is primary, so it cannot); anyone else
 * is refused as ARM refuses.
 */
@QuarkusTest
class MasterKeysReportTest {

    private static final String REPORT = "/providers/Moat.Vault/masterKeys?api-version=2023-02-01";

    @BeforeAll
    static void https() {
        TestHttps.trustLocalCa();
    }

    @Test
    void administrators_and_readers_see_which_keys_are_needed_and_the_primary_is_not_removable() {
        for (String caller : new String[] {Tokens.ADMIN, Tokens.READER}) {
            String primary = given().header("Authorization", Tokens.management().objectId(caller).bearer())
                    .when().get(REPORT)
                    .then().statusCode(200)
                    .body("primaryKeyId", matchesPattern("[0-9a-f]{16}"))
                    .body("primaryAgreed", equalTo(true))
                    .body("keys", hasSize(1))
                    .body("keys[0].removable", equalTo(false))
                    .body("replicas", hasSize(1))
                    .extract().path("primaryKeyId");
            given().header("Authorization", Tokens.management().objectId(caller).bearer()).when().get(REPORT)
                    .then().body("keys[0].id", equalTo(primary))
                    .body("replicas[0].primaryKeyId", equalTo(primary));
        }
    }

    @Test
    void others_are_refused_as_arm_refuses() {
        given().header("Authorization", Tokens.management().objectId(Tokens.ALICE).bearer())
                .when().get(REPORT)
                .then().statusCode(403).body("error.code", equalTo("AuthorizationFailed"));
        given().when().get(REPORT).then().statusCode(401).body("error.code", equalTo("AuthenticationFailed"));
        given().header("Authorization", Tokens.management().objectId(Tokens.ADMIN).bearer())
                .when().get("/providers/Moat.Vault/masterKeys")
                .then().statusCode(400).body("error.code", equalTo("MissingApiVersionParameter"));
    }
}
