package dev.moat.vault.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.testing.http.ManagementInterface;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.TrustsLocalCa;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code when-full=reject}: with no room left in the spool (here a capacity of 0), data-plane requests are refused
 * with 503 before anything of them runs, the service reports itself unready and counts the refusals; the management
 * plane, which has no decision events, goes on.
 */
@QuarkusTest
@TestProfile(FullSpoolRejectsTest.NoRoom.class)
class FullSpoolRejectsTest implements TrustsLocalCa {

    public static class NoRoom implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moat.vault.events.spool.capacity", "0", "moat.vault.events.spool.when-full", "reject");
        }
    }

    @Test
    void data_plane_requests_get_503_and_readiness_goes_down_while_the_spool_is_full() {
        Vaults.put("fullspool", Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all")));

        Vaults.as("fullspool", Tokens.ALICE, "7.5").contentType("application/json").body("{\"value\":\"v\"}")
                .when().put("/secrets/unrecorded")
                .then().statusCode(503)
                .body("error.code", equalTo("ServiceUnavailable"))
                .body("error.message", containsString("event spool is full"));

        ManagementInterface.given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'decision-events' }.data.spoolCapacity", equalTo(0))
                .body("checks.find { it.name == 'decision-events' }.status", equalTo("DOWN"));
        ManagementInterface.given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("moat_vault_decision_events_rejected_total 1.0"));
    }
}
