package dev.moat.vault.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
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
 * A soft-deleted certificate is purged once its scheduledPurgeDate has passed; an operation left in progress (as a
 * stop would leave it) is finished by the worker.
 */
@QuarkusTest
class ScheduledCertificatePurgeTest implements TrustsLocalCa {

    private static final String VAULT = "certpurge";
    private static final String POLICY = "{\"policy\":{\"x509_props\":{\"subject\":\"CN=purge\"},"
            + "\"issuer\":{\"name\":\"Self\"},\"key_props\":{\"kty\":\"EC\"}}}";

    @Inject
    CertificateService certificates;

    @Inject
    AgroalDataSource dataSource;

    private static RequestSpecification alice() {
        return Vaults.as(VAULT, Tokens.ALICE, "7.6");
    }

    @BeforeEach
    void vaultWhereAliceHoldsEveryCertificatePermission() {
        PolicyServiceDouble.reset();
        Vaults.put(VAULT, Vaults.body(Vaults.policy(Tokens.ALICE, "certificates", "all")));
    }

    private static void awaitCompleted(String name) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> alice()
                .when().get("/certificates/" + name + "/pending").then().extract().path("status"), "completed"::equals);
    }

    @Test
    void a_deleted_certificate_past_its_purge_date_is_purged() throws Exception {
        alice().contentType(ContentType.JSON).body(POLICY).when().post("/certificates/due/create").then()
                .statusCode(202);
        awaitCompleted("due");
        alice().when().delete("/certificates/due").then().statusCode(200);
        Sql.execute(dataSource, "UPDATE certificate SET scheduled_purge_at = 1 WHERE vault = '" + VAULT + "'");

        assertThat(certificates.purgeDue()).isEqualTo(1);

        alice().when().get("/deletedcertificates/due").then().statusCode(404);
    }

    @Test
    void an_operation_left_in_progress_is_finished_by_the_worker() throws Exception {
        alice().contentType(ContentType.JSON).body(POLICY).when().post("/certificates/resumed/create").then()
                .statusCode(202);
        awaitCompleted("resumed");
        String first = alice().when().get("/certificates/resumed").then().statusCode(200).extract().path("id");
        // as after a stop between the create and its completion
        Sql.execute(dataSource, "UPDATE certificate_operation SET status = 'inProgress' WHERE vault = '" + VAULT
                + "' AND name_key = 'resumed'");

        certificates.complete(VAULT, "resumed");

        assertThat(alice().when().get("/certificates/resumed/pending").then().extract().<String>path("status"))
                .isEqualTo("completed");
        assertThat(alice().when().get("/certificates/resumed").then().statusCode(200).extract().<String>path("id"))
                .isNotEqualTo(first);
    }
}
