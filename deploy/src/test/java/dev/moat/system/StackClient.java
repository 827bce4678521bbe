package dev.moat.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.restassured.RestAssured;
import io.restassured.config.SSLConfig;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * What a user of the local stack does, over its real endpoints: tokens from the built-in issuer, ARM calls on the
 * management plane, Key Vault calls on a vault host (with the client's address in {@code X-Forwarded-For}, which a
 * stack started with {@code --trust-loopback-proxy} believes from loopback), and queries of the audit trail as the stack's administrator.
 */
final class StackClient {

    static final String API = "?api-version=7.5";

    private final LocalStack stack;
    private final Map<String, String> credentials;
    private String auditToken;

    StackClient(LocalStack stack) throws Exception {
        this.stack = stack;
        this.credentials = stack.credentials();
        RestAssured.config = RestAssured.config().sslConfig(SSLConfig.sslConfig().trustStore(stack.trustStore()));
    }

    String credential(String name) {
        return credentials.get(name);
    }

    /** A token from the built-in issuer for one of the seeded clients ("ADMIN", "APP", "TRUSTED_AZURE_BACKUP", ...). */
    String token(String client, String scope) {
        return given().formParam("grant_type", "client_credentials")
                .formParam("client_id", credentials.get("MOAT_" + client + "_CLIENT_ID"))
                .formParam("client_secret", credentials.get("MOAT_" + client + "_CLIENT_SECRET"))
                .formParam("scope", scope)
                .post(stack.managementUrl() + "/" + credentials.get("MOAT_TENANT_ID") + "/oauth2/v2.0/token")
                .then().statusCode(200).extract().path("access_token");
    }

    String dataToken(String client) {
        return token(client, "https://vault.localhost:" + stack.vaultPort + "/.default");
    }

    String managementToken(String client) {
        return token(client, "https://management.localhost/.default");
    }

    /** An ARM PUT on the management plane as the stack's administrator. */
    ValidatableResponse armPut(String path, String body) {
        return given().auth().oauth2(managementToken("ADMIN")).contentType("application/json").body(body)
                .put(stack.managementUrl() + "/subscriptions/s1/resourceGroups/rg/providers/" + path
                        + "?api-version=2023-02-01")
                .then();
    }

    /** An ARM GET on the management plane as the stack's administrator. */
    ValidatableResponse armGet(String path) {
        return given().auth().oauth2(managementToken("ADMIN"))
                .get(stack.managementUrl() + "/subscriptions/s1/resourceGroups/rg/providers/" + path
                        + "?api-version=2023-02-01")
                .then();
    }

    /**
     * Creates or replaces a vault whose access policies grant {@code secrets} permissions to each listed client's
     * object id, with the given {@code networkAcls} JSON.
     */
    ValidatableResponse putVault(String vault, String networkAcls, Map<String, String> secretPermissionsByClient) {
        StringBuilder policies = new StringBuilder();
        for (var entry : secretPermissionsByClient.entrySet()) {
            if (policies.length() > 0) {
                policies.append(',');
            }
            policies.append("{\"tenantId\":\"%s\",\"objectId\":\"%s\",\"permissions\":{\"secrets\":[%s]}}".formatted(
                    credentials.get("MOAT_TENANT_ID"), credentials.get("MOAT_" + entry.getKey() + "_OBJECT_ID"),
                    entry.getValue()));
        }
        String body = """
                {"location":"local","properties":{"tenantId":"%s","sku":{"family":"A","name":"standard"},
                 "accessPolicies":[%s],"networkAcls":%s}}
                """.formatted(credentials.get("MOAT_TENANT_ID"), policies, networkAcls);
        return armPut("Microsoft.KeyVault/vaults/" + vault, body);
    }

    /** A Key Vault request on a vault host, from {@code client} (X-Forwarded-For), with a token unless null. */
    RequestSpecification onVault(String vault, String client, String token) {
        var request = given().header("Host", stack.vaultHost(vault)).header("X-Forwarded-For", client);
        if (token != null) {
            request.auth().oauth2(token);
        }
        return request;
    }

    Response secretGet(String vault, String client, String token) {
        return onVault(vault, client, token).get(stack.vaultUrl() + "/secrets/db-password" + API);
    }

    /** The audit trail is for administrators: their management token opens it. */
    RequestSpecification audit() {
        if (auditToken == null) {
            auditToken = managementToken("ADMIN");
        }
        return given().auth().oauth2(auditToken);
    }

    ValidatableResponse auditEvent(String id) {
        assertThat(id).isNotBlank();
        String url = stack.auditUrl() + "/api/v1/decisions/" + id;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> audit().get(url).statusCode() == 200);
        return audit().get(url).then().statusCode(200).body("eventId", equalTo(id));
    }

    /** Decision events stored for a vault, counted across every page of the query API (-1 when it does not answer). */
    int auditCount(String vault) {
        int count = 0;
        String next = stack.auditUrl() + "/api/v1/decisions?vault=" + vault + "&limit=100";
        while (next != null) {
            Response page = audit().get(next);
            if (page.statusCode() != 200) {
                return -1;
            }
            count += page.jsonPath().getList("value").size();
            next = page.jsonPath().getString("nextLink");
        }
        return count;
    }

    /** A token for policy-service's gRPC API, signed with the stack's internal key. */
    ClientInterceptor policyCredentials(String... roles) throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + stack.policyToken(roles));
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    static void reset() throws IOException {
        RestAssured.reset();
    }
}
