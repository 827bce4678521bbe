package dev.moat.vault.api;

import static dev.moat.vault.testing.Refusals.badParameter;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Certificates over HTTPS as Key Vault answers them (azure-compat.md section 5.3), with their errors. */
@QuarkusTest
class CertificatesApiTest implements FreshPolicyService {

    private static final String VAULT = "certsapi";
    private static final String VERSION_ID = "[0-9a-f]{32}";
    private static final String POLICY = "{\"policy\":{\"x509_props\":{\"subject\":\"CN=api.example\","
            + "\"sans\":{\"dns_names\":[\"api.example\"]},\"validity_months\":3},\"issuer\":{\"name\":\"Self\"},"
            + "\"key_props\":{\"kty\":\"EC\",\"crv\":\"P-256\"}},\"attributes\":{\"enabled\":true},"
            + "\"preserveCertOrder\":false}";

    @BeforeEach
    void vaultWhereAliceHoldsEveryPermission() {
        Vaults.put(VAULT, Vaults.body(Vaults.policy(Tokens.ALICE, "certificates", "all"),
                Vaults.policy(Tokens.ALICE, "keys", "all"), Vaults.secretsPolicy(Tokens.ALICE, "all")));
    }

    static RequestSpecification alice() {
        return Vaults.as(VAULT, Tokens.ALICE, "7.6").urlEncodingEnabled(false);
    }

    static String base() {
        return "https://" + Vaults.host(VAULT);
    }

    /** Creates a certificate and waits for its pending operation to end; answers the final operation. */
    static JsonPath created(String name, String body) {
        alice().contentType(ContentType.JSON).body(body).when().post("/certificates/" + name + "/create")
                .then().statusCode(202);
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> alice().when().get("/certificates/" + name + "/pending").then().statusCode(200)
                        .extract().jsonPath(), pending -> !pending.getString("status").equals("inProgress"));
    }

    @Test
    void create_answers_202_with_the_pending_operation_which_completes_with_the_certificate() throws Exception {
        alice().contentType(ContentType.JSON).body(POLICY).when().post("/certificates/api-cert/create")
                .then().statusCode(202)
                .body("id", equalTo(base() + "/certificates/api-cert/pending"))
                .body("issuer.name", equalTo("Self"))
                .body("status", equalTo("inProgress"))
                .body("cancellation_requested", equalTo(false))
                .body("request_id", matchesPattern(VERSION_ID));
        JsonPath done = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> alice().when().get("/certificates/api-cert/pending").then().statusCode(200)
                        .extract().jsonPath(), pending -> pending.getString("status").equals("completed"));
        assertThat(done.getString("target")).isEqualTo(base() + "/certificates/api-cert");

        JsonPath certificate = alice().when().get("/certificates/api-cert/").then().statusCode(200)
                .body("id", matchesPattern(base() + "/certificates/api-cert/" + VERSION_ID))
                .body("sid", matchesPattern(base() + "/secrets/api-cert/" + VERSION_ID))
                .body("x5t", not(containsString("=")))
                .body("attributes.enabled", equalTo(true))
                .body("attributes.recoveryLevel", equalTo("Recoverable+Purgeable"))
                .body("policy.id", equalTo(base() + "/certificates/api-cert/policy"))
                .body("policy.key_props.kty", equalTo("EC"))
                .body("policy.key_props.crv", equalTo("P-256"))
                .body("policy.secret_props.contentType", equalTo("application/x-pkcs12"))
                .body("policy.x509_props.subject", equalTo("CN=api.example"))
                .body("policy.x509_props.sans.dns_names[0]", equalTo("api.example"))
                .body("policy.x509_props.validity_months", equalTo(3))
                .body("policy.issuer.name", equalTo("Self"))
                .extract().jsonPath();
        String version = certificate.getString("id").substring(certificate.getString("id").lastIndexOf('/') + 1);
        assertThat(certificate.getString("kid")).isEqualTo(base() + "/keys/api-cert/" + version);
        byte[] der = Base64.getDecoder().decode(certificate.getString("cer"));
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        assertThat(Base64.getUrlDecoder().decode(certificate.getString("x5t")))
                .isEqualTo(MessageDigest.getInstance("SHA-1").digest(der));
        assertThat(certificate.getLong("attributes.exp")).isEqualTo(x509.getNotAfter().toInstant().getEpochSecond());
        assertThat(certificate.getLong("attributes.nbf")).isEqualTo(x509.getNotBefore().toInstant().getEpochSecond());

        alice().when().get("/keys/api-cert/" + version).then().statusCode(200)
                .body("managed", equalTo(true)).body("key.kty", equalTo("EC"));
        alice().when().delete("/keys/api-cert").then().statusCode(403)
                .body("error.innererror.code", equalTo("KeyManagedByCertificate"));
        alice().when().get("/secrets/api-cert").then().statusCode(200)
                .body("contentType", equalTo("application/x-pkcs12"));
        alice().when().get("/certificates/api-cert/policy").then().statusCode(200)
                .body("x509_props.subject", equalTo("CN=api.example"));
        alice().when().get("/certificates").then().statusCode(200)
                .body("value.id", org.hamcrest.Matchers.hasItem(base() + "/certificates/api-cert"));
    }

    /** The file and its password never appear in a refusal of an import: the message names the field alone. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "create | {}                                                                  | The request has no 'policy'",
            "create | {\"policy\":{\"issuer\":{\"name\":\"Self\"}}}                        | policy.x509_props.subject is missing",
            "create | {\"policy\":{\"x509_props\":{\"subject\":\"CN=a\"}}}                 | policy.issuer.name is missing",
            "create | {\"policy\":{\"x509_props\":{\"subject\":\"CN=a\"},\"issuer\":{\"name\":\"DigiCert\"}}} | issuer.name 'DigiCert' is not supported",
            "create | {\"policy\":{\"x509_props\":{\"subject\":\"not a name\"},\"issuer\":{\"name\":\"Self\"}}} | is not an X.500 name",
            "create | {\"policy\":{\"x509_props\":{\"subject\":\"CN=a\",\"validity_months\":0},\"issuer\":{\"name\":\"Self\"}}} | validity_months 0 is out of range",
            "create | {\"policy\":{\"x509_props\":{\"subject\":\"CN=a\",\"key_usage\":[\"everything\"]},\"issuer\":{\"name\":\"Self\"}}} | key_usage value 'everything' is not a key usage",
            "create | {\"policy\":{\"x509_props\":{\"subject\":\"CN=a\",\"ekus\":[\"server\"]},\"issuer\":{\"name\":\"Self\"}}} | ekus value 'server' is not an object identifier",
            "create | {\"policy\":{\"x509_props\":{\"subject\":\"CN=a\"},\"issuer\":{\"name\":\"Self\"},\"key_props\":{\"kty\":\"oct\"}}} | kty 'oct' is not a certificate key type",
            "create | {\"policy\":{\"x509_props\":{\"subject\":\"CN=a\"},\"issuer\":{\"name\":\"Self\"},\"key_props\":{\"key_size\":1024}}} | key_size 1024 is not supported",
            "create | {\"policy\":{\"x509_props\":{\"subject\":\"CN=a\"},\"issuer\":{\"name\":\"Self\"},\"secret_props\":{\"contentType\":\"text/plain\"}}} | contentType 'text/plain' is not supported",
            "create | {\"policy\":\"self\"}                                              | 'policy' must be an object",
            "import | {}                                        | The request has no 'value'",
            "import | {\"value\":\"%%%\"}                        | 'value' is neither PEM nor base64",
            "import | {\"value\":\"AQID\"}                       | 'value' is not a PFX (PKCS#12) that opens with the given password",
            "import | {\"value\":\"-----BEGIN CERTIFICATE-----\\nAQID\\n-----END CERTIFICATE-----\"} | 'value' is not readable PEM",
            "import | {\"value\":1}                             | 'value' must be a string.",
    })
    void a_bad_create_or_import_is_a_400_naming_the_value_and_the_rule(String action, String body, String message) {
        badParameter(alice().contentType(ContentType.JSON).body(body)
                .when().post("/certificates/bad-" + action + "/" + action), message);
        alice().when().get("/certificates/bad-" + action + "/pending").then().statusCode(404)
                .body("error.code", equalTo("PendingCertificateNotFound"));
    }

    @Test
    void a_name_taken_by_a_plain_key_fails_the_operation_with_the_reason() {
        alice().contentType(ContentType.JSON).body("{\"kty\":\"EC\"}").when().post("/keys/taken/create")
                .then().statusCode(200);
        JsonPath pending = created("taken", POLICY);
        assertThat(pending.getString("status")).isEqualTo("failed");
        assertThat(pending.getString("error.code")).isEqualTo("Conflict");
        assertThat(pending.getString("error.message")).contains("Key taken exists and is not a certificate's");
        alice().when().get("/certificates/taken").then().statusCode(404)
                .body("error.code", equalTo("CertificateNotFound"));
    }

    @Test
    void a_soft_deleted_certificate_keeps_its_name_its_key_and_its_secret_until_purged() {
        assertThat(created("gone", POLICY).getString("status")).isEqualTo("completed");
        alice().when().delete("/certificates/gone").then().statusCode(200)
                .body("recoveryId", equalTo(base() + "/deletedcertificates/gone"));
        alice().when().get("/keys/gone").then().statusCode(404);
        alice().when().get("/secrets/gone").then().statusCode(404);
        alice().contentType(ContentType.JSON).body(POLICY).when().post("/certificates/gone/create")
                .then().statusCode(409).body("error.innererror.code", equalTo("ObjectIsDeletedButRecoverable"));
        alice().when().post("/deletedcertificates/gone/recover").then().statusCode(200);
        alice().when().get("/keys/gone").then().statusCode(200);
        alice().when().get("/secrets/gone").then().statusCode(200);
        alice().when().delete("/certificates/gone").then().statusCode(200);
        alice().when().delete("/deletedcertificates/gone").then().statusCode(204);
        alice().when().get("/deletedkeys/gone").then().statusCode(404);
        alice().when().get("/deletedsecrets/gone").then().statusCode(404);
        assertThat(created("gone", POLICY).getString("status")).isEqualTo("completed");
    }

    @Test
    void unknown_certificates_are_key_vaults_404() {
        alice().when().get("/certificates/nothing").then().statusCode(404)
                .body("error.code", equalTo("CertificateNotFound"))
                .body("error.message", containsString("A certificate with (name/id) nothing was not found"));
        alice().when().get("/deletedcertificates/nothing").then().statusCode(404);
        alice().contentType(ContentType.JSON).body(Map.of("value", "AQAB")).when().post("/certificates/restore")
                .then().statusCode(400).body("error.message", containsString("Cannot decrypt backup blob"));
    }
}
