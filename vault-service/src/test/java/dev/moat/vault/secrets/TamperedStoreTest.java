package dev.moat.vault.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import dev.moat.vault.vaults.VaultStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * What someone with write access to the database can and cannot do: an altered value, or a value copied onto another
 * secret, is never served (500, logged, and the event says so) and never reveals the other value; soft-deleted
 * secrets are purged once their date has passed.
 */
@QuarkusTest
class TamperedStoreTest implements FreshPolicyService {

    private static final String VAULT = "tampervault";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SecretStore store;

    @Inject
    MasterKeyRing masterKey;

    @Inject
    ObjectMapper json;

    @Inject
    VaultStore vaults;

    @BeforeEach
    void vault() {
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all")));
    }

    private static RequestSpecification alice() {
        return Vaults.as(VAULT, Tokens.ALICE, "7.5");
    }

    private void execute(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    private byte[] sealed(String name) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT sealed_value FROM secret_version WHERE vault = ? AND name_key = ?")) {
            s.setString(1, VAULT);
            s.setString(2, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    @Test
    void an_altered_value_is_never_served() throws Exception {
        alice().contentType(ContentType.JSON).body("{\"value\":\"original\"}").when().put("/secrets/altered")
                .then().statusCode(200);
        byte[] bytes = sealed("altered");
        bytes[bytes.length - 20] ^= 0x01;
        execute("UPDATE secret_version SET sealed_value = ? WHERE vault = ? AND name_key = ?", bytes, VAULT,
                "altered");

        String id = alice().when().get("/secrets/altered").then().statusCode(500)
                .body("error.code", equalTo("InternalError"))
                .body("error.message", not(containsString("original")))
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getHttpStatus()).isEqualTo(500);
        assertThat(event.getReason()).isEqualTo("internal error: IllegalStateException");
    }

    @Test
    void a_value_copied_onto_another_secret_does_not_open_there() throws Exception {
        alice().contentType(ContentType.JSON).body("{\"value\":\"admin password\"}").when().put("/secrets/admin")
                .then().statusCode(200);
        alice().contentType(ContentType.JSON).body("{\"value\":\"guest password\"}").when().put("/secrets/guest")
                .then().statusCode(200);
        execute("UPDATE secret_version SET sealed_value = ? WHERE vault = ? AND name_key = ?", sealed("admin"), VAULT,
                "guest");

        alice().when().get("/secrets/guest").then().statusCode(500)
                .body("error.message", not(containsString("admin password")));
        alice().when().get("/secrets/admin").then().statusCode(200).body("value", equalTo("admin password"));
    }

    @Test
    void soft_deleted_secrets_are_purged_once_their_scheduled_purge_date_has_passed() {
        alice().contentType(ContentType.JSON).body("{\"value\":\"v\"}").when().put("/secrets/expiring")
                .then().statusCode(200);
        alice().when().delete("/secrets/expiring").then().statusCode(200);
        SecretService now = new SecretService(store, masterKey, json);
        SecretService in91Days = new SecretService(store, masterKey, json,
                Clock.fixed(Instant.now().plus(Duration.ofDays(91)), ZoneOffset.UTC));

        now.purgeDue();
        alice().when().get("/deletedsecrets/expiring").then().statusCode(200);
        assertThat(in91Days.purgeDue()).isGreaterThanOrEqualTo(1);
        alice().when().get("/deletedsecrets/expiring").then().statusCode(404);
        assertThat(now.list(vaults.find(VAULT).orElseThrow(), null, 25).items())
                .extracting(SecretProperties::name).doesNotContain("expiring");
    }
}
