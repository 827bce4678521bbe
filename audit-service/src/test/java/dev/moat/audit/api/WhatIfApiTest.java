package dev.moat.audit.api;

import static dev.moat.audit.support.Tokens.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.moat.audit.support.AuditKafkaResource;
import dev.moat.audit.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The edges of {@code POST /api/v1/vaults/{vault}/what-if} that need no policy-service: who may ask, bodies refused
 * before it is asked, and failing closed when it cannot be asked (nothing listens on the configured port here). The
 * answers themselves are proved against the real stack in {@code WhatIfSystemTest}.
 */
@QuarkusTest
@QuarkusTestResource(AuditKafkaResource.class)
class WhatIfApiTest {

    private static final String PATH = "/api/v1/vaults/contoso/what-if";
    private static final String VALID = "{\"networkAcls\":{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.7\"}]}}";

    @Test
    void only_administrators_may_ask() {
        given().contentType("application/json").body(VALID).post(PATH).then().statusCode(401);
        given().header("Authorization", "Bearer " + Tokens.sign(Tokens.claims("not-an-administrator")))
                .contentType("application/json").body(VALID).post(PATH).then().statusCode(403)
                .body("error.code", equalTo("AuthorizationFailed"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "no body||request body is required",
            "not JSON|{nope|request body is not valid",
            "no networkAcls|{\"from\":\"2024-06-01T00:00:00Z\"}|'networkAcls' property is required",
            "an IP rule without value|{\"networkAcls\":{\"ipRules\":[{}]}}|'networkAcls.ipRules[0].value' property is required",
            "a rule list that is not a list|{\"networkAcls\":{\"ipRules\":\"203.0.113.7\"}}|request body is not valid"})
    void a_malformed_body_is_a_400_bad_request_naming_what_is_wrong(String what, String body, String message) {
        asAdmin().contentType("application/json").body(body == null ? "" : body).post(PATH).then().statusCode(400)
                .body("error.code", equalTo("BadRequest"))
                .body("error.message", containsString(message));
    }

    @Test
    void a_bad_window_is_a_400_naming_the_parameter() {
        asAdmin().contentType("application/json")
                .body("{\"networkAcls\":{},\"from\":\"2024-06-02T00:00:00Z\",\"to\":\"2024-06-01T00:00:00Z\"}")
                .post(PATH).then().statusCode(400).body("error.code", equalTo("BadParameter"));
        asAdmin().contentType("application/json").body("{\"networkAcls\":{},\"from\":\"yesterday\"}")
                .post(PATH).then().statusCode(400).body("error.message", containsString("'from'"));
    }

    @Test
    void without_policy_service_the_answer_is_503_never_a_guess() {
        asAdmin().contentType("application/json").body(VALID).post(PATH).then().statusCode(503)
                .body("error.code", equalTo("ServiceUnavailable"));
    }
}
