package dev.moat.vault.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.keys.KeysException;
import dev.moat.vault.secrets.SecretsException;

/**
 * The one mapper to Key Vault's error JSON: {@code {"error":{"code":…,"message":…,"innererror":{"code":…}}}}
 * (azure-compat.md section 5.5). Status codes are exact because the Azure SDK maps them to exception types.
 */
public final class KeyVaultErrors {

    private KeyVaultErrors() {
    }

    public static Response error(int status, String code, String message, String innerCode) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (innerCode != null) {
            error.put("innererror", Map.of("code", innerCode));
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error", error)).build();
    }

    public static Response badParameter(String message) {
        return error(400, "BadParameter", message, null);
    }

    public static Response notFound(String code, String message) {
        return error(404, code, message, null);
    }

    /** A request over a size limit: 414 (request line), 431 (header fields) or 413 (body), before any check. */
    public static Response requestTooLarge(int status, long size, long limit) {
        return switch (status) {
            case 414 -> error(414, "RequestUriTooLong", "The request line is " + size + " bytes long; the limit is "
                    + limit + " bytes.", null);
            case 431 -> error(431, "RequestHeaderFieldsTooLarge", "The request's header fields are " + size
                    + " bytes; the limit is " + limit + " bytes.", null);
            default -> error(413, "RequestEntityTooLarge", "The request body is " + size + " bytes; the limit is "
                    + limit + " bytes.", null);
        };
    }

    /** Unknown host: there is no vault of that name here. */
    public static Response vaultNotFound(String host) {
        return error(404, "VaultNotFound", "No vault is served at host '" + host + "'.", null);
    }

    /** A rule of secrets refused the request (400, 403, 404 or 409 with Key Vault's code and text). */
    public static Response of(SecretsException refusal) {
        return error(refusal.status(), refusal.code(), refusal.getMessage(), refusal.innerCode());
    }

    /** A rule of keys or certificates refused the request (400, 403, 404 or 409 with Key Vault's code and text). */
    public static Response of(KeysException refusal) {
        return error(refusal.status(), refusal.code(), refusal.getMessage(), refusal.innerCode());
    }

    /** The operation failed on our side; nothing of the cause (which is logged) reaches the client. */
    public static Response internalError(String correlationId) {
        return error(500, "InternalError", "The service could not complete the request. Retry later; the "
                + "correlation id " + correlationId + " finds it in the service's log.", null);
    }

    /** The firewall refused the request; the text follows Azure's so that existing runbooks recognise it. */
    public static Response forbiddenByFirewall(String clientAddress, String subnet, boolean subnetLacksEndpoint,
            String caller, String vault) {
        String from = subnet == null || subnet.isEmpty() ? clientAddress : clientAddress + " from subnet " + subnet
                + (subnetLacksEndpoint ? " (no Microsoft.KeyVault service endpoint)" : "");
        return error(403, "Forbidden", "Client address is not authorized and caller is not a trusted service.\r\n"
                + "Client address: " + from + "\r\nCaller: " + caller + "\r\nVault: " + vault, "ForbiddenByFirewall");
    }

    /**
     * Not authenticated: 401 with the challenge, so that the Azure SDK fetches a token and retries
     * (azure-compat.md section 1). A missing token gets Azure's exact {@code AKV10000} text.
     */
    public static Response unauthorized(String message, String challenge) {
        Response r = error(401, "Unauthorized", message, null);
        return Response.fromResponse(r).header("WWW-Authenticate", challenge).build();
    }

    /** Public network access is disabled on the vault and the caller is not a trusted service. */
    public static Response publicNetworkAccessDisabled(String clientAddress, String caller, String vault) {
        return error(403, "Forbidden", "Public network access is disabled and request is not from a trusted service "
                + "nor via an approved private link.\r\nCaller: " + caller + "\r\nVault: " + vault
                + "\r\nClient address: " + clientAddress, "ForbiddenByConnection");
    }

    /** No access policy grants the operation; Azure's text (azure-compat.md section 5.5). */
    public static Response forbiddenByPolicy(String caller, String category, String permission, String vault,
            String location) {
        return error(403, "Forbidden", "The user, group or application '" + caller + "' does not have " + category
                + " " + permission + " permission on key vault '" + vault + ";location=" + location
                + "'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
                "ForbiddenByPolicy");
    }

    /**
     * The decision event spool is full (Kafka has been away long enough to fill it) and set to reject: the request is
     * refused rather than served without a record of it.
     */
    public static Response decisionSpoolFull() {
        return error(503, "ServiceUnavailable", "The service cannot record decisions right now (its event spool is "
                + "full), so the request was refused. Retry later.", null);
    }

    /** policy-service could not be asked: the request is refused, never let through. */
    public static Response firewallUnavailable() {
        return error(503, "ServiceUnavailable",
                "The vault's firewall could not be consulted, so the request was refused. Retry later.", null);
    }
}
