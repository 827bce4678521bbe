package dev.moat.audit.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.moat.testing.http.ManagementInterface;
import dev.moat.testing.tokens.ForgedTokens;
import dev.moat.audit.store.EventStore;
import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Events;
import dev.moat.audit.support.Stored;
import dev.moat.audit.support.Tokens;
import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.DecisionEvent;

/**
 * The query API is for administrators only (issue 7): one row per kind of token, each against every endpoint. Only a
 * valid RS256 management token of the configured issuer, naming an administrator, reads the audit trail; every other
 * token is a 401 with a Bearer challenge, a valid token of anyone else a 403. Health, metrics and OpenAPI stay open.
 */
@QuarkusTest
@QuarkusTestResource(AuditKafkaResource.class)
class AdministratorsOnlyTest {

    private static final String VAULT = "admins-only";
    private static final Instant T0 = Instant.parse("2024-07-01T10:00:00Z");
    private static final DecisionEvent.Builder DECISION = Events.firewallDenial(VAULT, "203.0.113.9", T0);
    private static final ChangeEvent.Builder CHANGE = Events.networkRuleChange(VAULT, T0);

    /** Every endpoint of the API, each with a request an administrator gets a 200 for. */
    enum Endpoint {
        LIST("/api/v1/decisions?vault=" + VAULT),
        GET_BY_ID("/api/v1/decisions/" + DECISION.getEventId()),
        DIAGNOSIS("/api/v1/vaults/" + VAULT + "/diagnosis?from=2024-07-01T00:00:00Z&to=2024-07-02T00:00:00Z"),
        CHANGES("/api/v1/changes?vault=" + VAULT),
        CHANGE_BY_ID("/api/v1/changes/" + CHANGE.getEventId()),
        EXPORT("/api/v1/decisions/export?vault=" + VAULT);

        final String path;

        Endpoint(String path) {
            this.path = path;
        }
    }

    /**
     * @param authorization the Authorization header (null: none)
     * @param code the error code expected, null for a 200
     */
    record Row(String name, Supplier<String> authorization, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String OTHER_OID = "0b1ec700-0000-0000-0000-00000000b0b0";

    private static final List<Row> ROWS = List.of(
            new Row("no token", () -> null, 401, "AuthenticationFailed"),
            new Row("a Basic header", () -> "Basic YWRtaW46YWRtaW4=", 401, "AuthenticationFailed"),
            new Row("garbage", () -> "Bearer not-a-jwt", 401, "InvalidAuthenticationToken"),
            new Row("expired beyond the clock skew", () -> bearer(edit(c -> {
                c.setIssuedAt(NumericDate.fromSeconds(Instant.now().minusSeconds(3600).getEpochSecond()));
                c.setNotBefore(NumericDate.fromSeconds(Instant.now().minusSeconds(3600).getEpochSecond()));
                c.setExpirationTime(NumericDate.fromSeconds(Instant.now().minusSeconds(300).getEpochSecond()));
            })), 401, "ExpiredAuthenticationToken"),
            new Row("not yet valid", () -> bearer(edit(c -> c.setNotBefore(
                    NumericDate.fromSeconds(Instant.now().plusSeconds(300).getEpochSecond())))),
                    401, "InvalidAuthenticationToken"),
            new Row("signed by another key under the trusted kid",
                    () -> "Bearer " + Tokens.sign(Tokens.claims(Tokens.ADMIN_OID), Tokens.UNTRUSTED, Tokens.KID),
                    401, "InvalidAuthenticationToken"),
            new Row("signed by a key the issuer does not publish",
                    () -> "Bearer " + Tokens.sign(Tokens.claims(Tokens.ADMIN_OID), Tokens.UNTRUSTED, "rogue-key"),
                    401, "InvalidAuthenticationToken"),
            new Row("from another issuer", () -> bearer(edit(c -> c.setIssuer(
                    "https://login.example.com/" + Tokens.TENANT + "/v2.0"))), 401, "InvalidAuthenticationToken"),
            new Row("whose iss names another tenant than its tid", () -> bearer(edit(c -> c.setIssuer(
                    "https://localhost:8443/11111111-1111-1111-1111-111111111111/v2.0"))),
                    401, "InvalidAuthenticationToken"),
            new Row("for the data plane's audience", () -> bearer(edit(c -> c.setAudience(
                    "https://vault.localhost:8443"))), 401, "InvalidAuthenticationTokenAudience"),
            new Row("HS256, keyed with the issuer's public key", () -> "Bearer " + ForgedTokens.hs256WithThePublicKey(
                    Tokens.claims(Tokens.ADMIN_OID), Tokens.TRUSTED.keyPair().getPublic(), Tokens.KID),
                    401, "InvalidAuthenticationToken"),
            new Row("unsigned (alg none)", () -> "Bearer " + ForgedTokens.unsigned(Tokens.claims(Tokens.ADMIN_OID)),
                    401, "InvalidAuthenticationToken"),
            new Row("valid, of someone who is not an administrator",
                    () -> "Bearer " + Tokens.sign(Tokens.claims(OTHER_OID)), 403, "AuthorizationFailed"),
            new Row("valid, of an administrator", () -> "Bearer " + Tokens.admin(), 200, null),
            new Row("valid, of an administrator named by sub only", () -> bearer(edit(c -> c.unsetClaim("oid"))),
                    200, null),
            new Row("valid, of an administrator, audience with a trailing slash",
                    () -> bearer(edit(c -> c.setAudience(Tokens.AUDIENCE + "/"))), 200, null));

    @Inject
    EventStore store;

    @BeforeEach
    void stored() throws Exception {
        // Ids are kept once: storing again on every row changes nothing.
        Stored.decisions(store, DECISION);
        Stored.changes(store, CHANGE);
    }

    static Stream<Arguments> rowsOnEveryEndpoint() {
        return ROWS.stream().flatMap(row -> Arrays.stream(Endpoint.values()).map(e -> Arguments.of(row, e)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("rowsOnEveryEndpoint")
    void only_a_valid_token_of_an_administrator_reads_the_audit_trail(Row row, Endpoint endpoint) {
        String authorization = row.authorization().get();
        RequestSpecification request = Tokens.request().urlEncodingEnabled(false);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Response response = request.get(endpoint.path);

        response.then().statusCode(row.status());
        if (row.code() == null) {
            return;
        }
        response.then().contentType("application/json").body("error.code", equalTo(row.code()));
        if (authorization != null) {
            // the answer never carries the credentials back
            response.then().body(not(containsString(authorization.substring(authorization.indexOf(' ') + 1))));
        }
        if (row.status() == 401) {
            response.then().header("WWW-Authenticate", authorization != null && authorization.startsWith("Bearer ")
                    ? equalTo("Bearer error=\"invalid_token\"")
                    : equalTo("Bearer"));
        } else {
            response.then().header("WWW-Authenticate", nullValue());
        }
    }

    @Test
    void health_and_metrics_are_open_on_the_management_port_only_and_openapi_names_the_bearer_token() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
        ManagementInterface.given().get("/q/health/live").then().statusCode(200);
        ManagementInterface.given().get("/q/health/ready").then().statusCode(anyOf(is(200), is(503)));
        ManagementInterface.given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes.administrator.scheme", equalTo("bearer"))
                .body("security[0].administrator", equalTo(List.of()));
    }

    private static JwtClaims edit(Consumer<JwtClaims> change) {
        JwtClaims claims = Tokens.claims(Tokens.ADMIN_OID);
        change.accept(claims);
        return claims;
    }

    private static String bearer(JwtClaims claims) {
        return "Bearer " + Tokens.sign(claims);
    }
}
