package dev.moat.vault.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.vault.access.PermissionCategory;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Issue 6, "Done when" 2, one row per key and certificate operation and path: each is refused by the firewall from a denied address
 * (before anything else is looked at), refused by the access policy when the caller holds every permission but its
 * own, let through with only its own permission, and each request produces exactly one decision event naming the
 * operation. An operation without a row here fails {@link #every_key_and_certificate_operation_has_a_row}.
 */
@QuarkusTest
class GuardedOperationsTest implements FreshPolicyService {

    private static final String VAULT = "guarded";
    private static final String VERSION = "0123456789abcdef0123456789abcdef";
    private static final String CERT_POLICY = "{\"policy\":{\"x509_props\":{\"subject\":\"CN=guarded\"},"
            + "\"issuer\":{\"name\":\"Self\"},\"key_props\":{\"kty\":\"EC\"}}}";
    private static final String OP_BODY = "{\"alg\":\"RSA-OAEP\",\"value\":\"AQAB\",\"digest\":\"AQAB\"}";

    /** One request: the operation it is, and how it is sent. */
    record Row(Operation operation, String method, String path, String body) {

        @Override
        public String toString() {
            return operation + " " + method + " " + path;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row(Operation.KEY_CREATE, "POST", "/keys/guarded-key/create", "{\"kty\":\"EC\"}"),
                new Row(Operation.KEY_IMPORT, "PUT", "/keys/guarded-key", "{\"key\":{\"kty\":\"EC\"}}"),
                new Row(Operation.KEY_GET, "GET", "/keys/guarded-key", null),
                new Row(Operation.KEY_GET, "GET", "/keys/guarded-key/", null),
                new Row(Operation.KEY_GET, "GET", "/keys/guarded-key/" + VERSION, null),
                new Row(Operation.KEY_LIST, "GET", "/keys", null),
                new Row(Operation.KEY_LIST_VERSIONS, "GET", "/keys/guarded-key/versions", null),
                new Row(Operation.KEY_UPDATE, "PATCH", "/keys/guarded-key/" + VERSION, "{\"tags\":{}}"),
                new Row(Operation.KEY_UPDATE, "PATCH", "/keys/guarded-key/", "{\"tags\":{}}"),
                new Row(Operation.KEY_DELETE, "DELETE", "/keys/guarded-key", null),
                new Row(Operation.KEY_GET_DELETED, "GET", "/deletedkeys/guarded-key", null),
                new Row(Operation.KEY_LIST_DELETED, "GET", "/deletedkeys", null),
                new Row(Operation.KEY_RECOVER, "POST", "/deletedkeys/guarded-key/recover", null),
                new Row(Operation.KEY_PURGE, "DELETE", "/deletedkeys/guarded-key", null),
                new Row(Operation.KEY_BACKUP, "POST", "/keys/guarded-key/backup", null),
                new Row(Operation.KEY_RESTORE, "POST", "/keys/restore", "{\"value\":\"AQAB\"}"),
                new Row(Operation.KEY_ROTATE, "POST", "/keys/guarded-key/rotate", null),
                new Row(Operation.KEY_ROTATION_POLICY_GET, "GET", "/keys/guarded-key/rotationpolicy", null),
                new Row(Operation.KEY_ROTATION_POLICY_SET, "PUT", "/keys/guarded-key/rotationpolicy",
                        "{\"lifetimeActions\":[]}"),
                new Row(Operation.KEY_ENCRYPT, "POST", "/keys/guarded-key//encrypt", OP_BODY),
                new Row(Operation.KEY_ENCRYPT, "POST", "/keys/guarded-key/" + VERSION + "/encrypt", OP_BODY),
                new Row(Operation.KEY_DECRYPT, "POST", "/keys/guarded-key//decrypt", OP_BODY),
                new Row(Operation.KEY_WRAP, "POST", "/keys/guarded-key//wrapkey", OP_BODY),
                new Row(Operation.KEY_UNWRAP, "POST", "/keys/guarded-key//unwrapkey", OP_BODY),
                new Row(Operation.KEY_SIGN, "POST", "/keys/guarded-key//sign", OP_BODY),
                new Row(Operation.KEY_VERIFY, "POST", "/keys/guarded-key/" + VERSION + "/verify", OP_BODY),
                new Row(Operation.CERTIFICATE_CREATE, "POST", "/certificates/guarded-cert/create", CERT_POLICY),
                new Row(Operation.CERTIFICATE_PENDING_GET, "GET", "/certificates/guarded-cert/pending", null),
                new Row(Operation.CERTIFICATE_IMPORT, "POST", "/certificates/guarded-cert/import",
                        "{\"value\":\"AQAB\"}"),
                new Row(Operation.CERTIFICATE_GET, "GET", "/certificates/guarded-cert", null),
                new Row(Operation.CERTIFICATE_GET, "GET", "/certificates/guarded-cert/" + VERSION, null),
                new Row(Operation.CERTIFICATE_LIST, "GET", "/certificates", null),
                new Row(Operation.CERTIFICATE_LIST_VERSIONS, "GET", "/certificates/guarded-cert/versions", null),
                new Row(Operation.CERTIFICATE_POLICY_GET, "GET", "/certificates/guarded-cert/policy", null),
                new Row(Operation.CERTIFICATE_POLICY_UPDATE, "PATCH", "/certificates/guarded-cert/policy",
                        "{\"x509_props\":{\"validity_months\":6}}"),
                new Row(Operation.CERTIFICATE_UPDATE, "PATCH", "/certificates/guarded-cert/", "{\"tags\":{}}"),
                new Row(Operation.CERTIFICATE_DELETE, "DELETE", "/certificates/guarded-cert", null),
                new Row(Operation.CERTIFICATE_GET_DELETED, "GET", "/deletedcertificates/guarded-cert", null),
                new Row(Operation.CERTIFICATE_LIST_DELETED, "GET", "/deletedcertificates", null),
                new Row(Operation.CERTIFICATE_RECOVER, "POST", "/deletedcertificates/guarded-cert/recover", null),
                new Row(Operation.CERTIFICATE_PURGE, "DELETE", "/deletedcertificates/guarded-cert", null),
                new Row(Operation.CERTIFICATE_BACKUP, "POST", "/certificates/guarded-cert/backup", null),
                new Row(Operation.CERTIFICATE_RESTORE, "POST", "/certificates/restore", "{\"value\":\"AQAB\"}"),
                new Row(Operation.CERTIFICATE_CONTACTS_SET, "PUT", "/certificates/contacts",
                        "{\"contacts\":[{\"email\":\"pki@contoso.example\"}]}"),
                new Row(Operation.CERTIFICATE_CONTACTS_GET, "GET", "/certificates/contacts", null),
                new Row(Operation.CERTIFICATE_CONTACTS_DELETE, "DELETE", "/certificates/contacts", null),
                new Row(Operation.CERTIFICATE_ISSUER_SET, "PUT", "/certificates/issuers/guarded-issuer",
                        "{\"provider\":\"Test\"}"),
                new Row(Operation.CERTIFICATE_ISSUER_SET, "PATCH", "/certificates/issuers/guarded-issuer",
                        "{\"provider\":\"Test\"}"),
                new Row(Operation.CERTIFICATE_ISSUER_GET, "GET", "/certificates/issuers/guarded-issuer", null),
                new Row(Operation.CERTIFICATE_ISSUER_LIST, "GET", "/certificates/issuers", null),
                new Row(Operation.CERTIFICATE_ISSUER_DELETE, "DELETE", "/certificates/issuers/guarded-issuer", null));
    }

    @Test
    void every_key_and_certificate_operation_has_a_row() {
        Set<Operation> covered = rows().map(Row::operation).collect(Collectors.toSet());
        Set<Operation> guarded = EnumSet.copyOf(Arrays.stream(Operation.values())
                .filter(op -> op.category() == PermissionCategory.KEYS
                        || op.category() == PermissionCategory.CERTIFICATES).toList());
        assertThat(covered).containsAll(guarded);
    }

    @ParameterizedTest
    @MethodSource("rows")
    void refused_by_the_firewall_refused_without_its_permission_allowed_with_it_one_event_each(Row row) {
        PermissionCategory category = row.operation().category();
        String permission = row.operation().permission();
        List<String> correlations = new ArrayList<>();

        // 1. the firewall denies the address: 403 ForbiddenByFirewall, whatever the access policy says
        Vaults.put(VAULT, Vaults.body(Vaults.policy(Tokens.ALICE, category.jsonName(), "all")));
        PolicyServiceDouble.answer = PolicyServiceDouble::deny;
        Response denied = send(row, correlations);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.jsonPath().getString("error.innererror.code")).isEqualTo("ForbiddenByFirewall");
        assertThat(PolicyServiceDouble.received).singleElement()
                .satisfies(check -> assertThat(check.getOperation()).isEqualTo(row.operation().operationName()));
        DecisionEvent firewall = DecisionEvents.await(denied.header(DataPlanePipeline.DECISION_ID_HEADER));
        assertThat(firewall.getLayer()).isEqualTo(Layer.LAYER_FIREWALL);
        assertThat(firewall.getResult()).isEqualTo(Result.RESULT_DENIED);
        assertThat(firewall.getOperation()).isEqualTo(row.operation().operationName());

        // 2. allowed address, every permission of the category but this one: 403 ForbiddenByPolicy naming it
        PolicyServiceDouble.reset();
        String[] allButThis = category.names().stream()
                .filter(p -> !p.equals("all") && !p.equalsIgnoreCase(permission)).toArray(String[]::new);
        Vaults.put(VAULT, Vaults.body(Vaults.policy(Tokens.ALICE, category.jsonName(), allButThis),
                Vaults.secretsPolicy(Tokens.ALICE, "all")));
        Response unpermitted = send(row, correlations);
        assertThat(unpermitted.statusCode()).isEqualTo(403);
        assertThat(unpermitted.jsonPath().getString("error.innererror.code")).isEqualTo("ForbiddenByPolicy");
        assertThat(unpermitted.jsonPath().getString("error.message"))
                .contains("does not have " + category.jsonName() + " " + permission + " permission on key vault '"
                        + VAULT + ";location=westeurope'");
        DecisionEvent policy = DecisionEvents.await(unpermitted.header(DataPlanePipeline.DECISION_ID_HEADER));
        assertThat(policy.getLayer()).isEqualTo(Layer.LAYER_ACCESS_POLICY);
        assertThat(policy.getResult()).isEqualTo(Result.RESULT_DENIED);

        // 3. only this permission (in another case, as tools send it): the operation runs
        Vaults.put(VAULT, Vaults.body(Vaults.policy(Tokens.ALICE, category.jsonName(),
                permission.toUpperCase(Locale.ROOT))));
        Response permitted = send(row, correlations);
        assertThat(permitted.statusCode()).isNotIn(401, 500, 503);
        if (permitted.statusCode() == 403) {
            // the key itself may refuse (its key_ops), never the access policy
            assertThat(permitted.jsonPath().getString("error.message")).startsWith("Operation is not allowed.");
        }
        DecisionEvent allowed = DecisionEvents.await(permitted.header(DataPlanePipeline.DECISION_ID_HEADER));
        assertThat(allowed.getLayer()).isEqualTo(Layer.LAYER_OPERATION);
        assertThat(allowed.getResult()).isEqualTo(Result.RESULT_ALLOWED);
        assertThat(allowed.getIsAccessPolicyMatch()).isTrue();
        assertThat(allowed.getHttpStatus()).isEqualTo(permitted.statusCode());

        // exactly one event per request, no more arriving later
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String correlation : correlations) {
                assertThat(DecisionEvents.withCorrelationId(correlation)).as(correlation).hasSize(1);
            }
        });
    }

    private static Response send(Row row, List<String> correlations) {
        String correlation = UUID.randomUUID().toString();
        correlations.add(correlation);
        var request = Vaults.as(VAULT, Tokens.ALICE)
                .header("x-ms-client-request-id", correlation)
                .queryParam("api-version", "7.5")
                .urlEncodingEnabled(false);
        if (row.body() != null) {
            request = request.contentType("application/json").body(row.body());
        }
        return request.when().request(row.method(), row.path()).then().extract().response();
    }
}
