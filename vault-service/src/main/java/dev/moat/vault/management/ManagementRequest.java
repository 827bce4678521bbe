package dev.moat.vault.management;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.auth.Endpoint;
import dev.moat.vault.auth.Endpoints;
import dev.moat.vault.auth.Identity;
import dev.moat.vault.firewall.PolicyAdminClient.CallContext;

/** What every management call does first: check the api-version, authenticate, and read the JSON body. */
@ApplicationScoped
public class ManagementRequest {

    /**
     * An authenticated management call, with the subscription and resource group of its path (checked; null where
     * the path has none).
     */
    record Call(Identity caller, Endpoint endpoint, CallContext context, String subscription, String group) {
    }

    @Inject
    ManagementAuth auth;
    @Inject
    Endpoints endpoints;
    @Inject
    ObjectMapper json;

    /** Authenticates the caller, then checks the api-version, the subscription and the resource group, in order. */
    Call begin(ArmRequest arm) {
        Endpoint endpoint = endpoints.of(arm.request.localAddress().port());
        Identity caller = auth.authenticate(arm.headers.getHeaderString(HttpHeaders.AUTHORIZATION), endpoint);
        ArmNames.apiVersion(arm.apiVersion);
        if (arm.subscription != null) {
            ArmNames.subscription(arm.subscription);
        }
        if (arm.group != null) {
            ArmNames.resourceGroup(arm.group);
        }
        String clientRequestId = arm.headers.getHeaderString("x-ms-client-request-id");
        return new Call(caller, endpoint, new CallContext(caller, clientRequestId), arm.subscription, arm.group);
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
