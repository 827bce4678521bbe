package dev.moat.vault.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.moat.testing.http.ManagementInterface;
import dev.moat.vault.testing.TestHttps;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Health and metrics are served on the management interface (plain HTTP, its own port, loopback), never on the
 * data-plane HTTPS port: there a vault host answers Key Vault's 404 and the bare host the framework's 404.
 */
@QuarkusTest
class ManagementInterfaceTest {

    private static final String VAULT = "mgmtiface";

    @BeforeAll
    static void https() {
        TestHttps.trustLocalCa();
    }

    @BeforeEach
    void vault() {
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "get")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/metrics", "/q/health", "/q/health/ready", "/q/health/live"})
    void the_data_plane_port_does_not_serve_health_or_metrics_on_a_vault_host(String path) {
        Vaults.as(VAULT, Tokens.ALICE)
                .when().get(path)
                .then().statusCode(404)
                .body("error.code", equalTo("NotFound"))
                .body(not(containsString("moat_vault_")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/metrics", "/q/health/ready"})
    void the_data_plane_port_does_not_serve_health_or_metrics_on_the_bare_host(String path) {
        given().header("Host", "localhost:" + RestAssured.port).when().get(path)
                .then().statusCode(404)
                .body(not(containsString("moat_vault_")))
                .body(not(containsString("\"checks\"")));
    }

    @Test
    void the_management_interface_serves_them_over_plain_http_on_its_own_port() {
        assertThat(ManagementInterface.uri().getScheme()).isEqualTo("http");
        assertThat(ManagementInterface.uri().getPort()).isNotEqualTo(RestAssured.port);
        ManagementInterface.given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("moat_vault_decision_spool_depth"));
        ManagementInterface.given().when().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"));
        // (the double of policy-service has no gRPC health service: readiness is down, but it answers here)
        ManagementInterface.given().when().get("/q/health/ready").then()
                .body("checks.name", hasItem("decision-events"));
    }
}
