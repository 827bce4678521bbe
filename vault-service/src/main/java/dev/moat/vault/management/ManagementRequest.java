package dev.moat.vault.management;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.auth.Endpoint;
import dev.moat.vault.auth.Endpoints;
import dev.moat.vault.auth.Identity;
import dev.moat.vault.firewall.PolicyAdminClient.CallContext;
import io.vertx.core.http.HttpServerRequest;

/** What every management call does first: check the api-version, authenticate, and read the JSON body. */
@ApplicationScoped
public class ManagementRequest {

    /** An authenticated management call. */
    record Call(Identity caller, Endpoint endpoint, CallContext context) {
    }

    private final ManagementAuth auth;
    private final Endpoints endpoints;
    private final ObjectMapper json;

    public ManagementRequest(ManagementAuth auth, Endpoints endpoints, ObjectMapper json) {
        this.auth = auth;
        this.endpoints = endpoints;
        this.json = json;
    }

    Call begin(HttpServerRequest request, HttpHeaders headers, String apiVersion) {
        Endpoint endpoint = endpoints.of(request.localAddress().port());
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        Identity caller = auth.authenticate(authorization, endpoint);
        ArmNames.apiVersion(apiVersion);
        return new Call(caller, endpoint, new CallContext(caller, headers.getHeaderString("x-ms-client-request-id")));
    }

    JsonNode body(String text) {
        if (text == null || text.isBlank()) {
            throw ArmException.badRequest("InvalidRequestContent", "The request content was empty: a JSON object is "
                    + "expected.");
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw ArmException.badRequest("InvalidRequestContent", "The request content was invalid and could not be "
                    + "deserialized: '" + e.getOriginalMessage() + "' at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ".");
        }
    }
}
