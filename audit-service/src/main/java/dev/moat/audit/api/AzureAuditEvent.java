package dev.moat.audit.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.moat.audit.decision.Decision;

/**
 * A decision in the shape of Azure Key Vault's {@code AuditEvent} log record, for SIEM tools that already parse
 * it. Moat's own fields without an Azure counterpart are under {@code properties} with names of their own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AzureAuditEvent(
        String time,
        String resourceId,
        String operationName,
        String category,
        String resultType,
        String resultSignature,
        String resultDescription,
        String durationMs,
        String callerIpAddress,
        String correlationId,
        Identity identity,
        Properties properties) {

    static final String OBJECT_ID_CLAIM = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    static final String TENANT_ID_CLAIM = "http://schemas.microsoft.com/identity/claims/tenantid";

    /** The caller's token claims, under Azure's claim names. */
    public record Identity(Map<String, String> claim) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Properties(
            String requestUri,
            String httpMethod,
            int httpStatusCode,
            boolean isAddressAuthorized,
            String addressAuthorizationType,
            boolean isAccessPolicyMatch,
            String trustedService,
            String decisionId,
            String vault,
            String result,
            String layer,
            String matchedRule,
            String subnetId,
            String source) {
    }

    /**
     * @param resourceId the vault's ARM id
     */
    static AzureAuditEvent of(Decision d, String resourceId) {
        Response.Status status = Response.Status.fromStatusCode(d.httpStatus());
        return new AzureAuditEvent(
                d.time().toString(),
                resourceId,
                d.operation(),
                "AuditEvent",
                d.httpStatus() > 0 && d.httpStatus() < 400 ? "Success" : "Failure",
                status == null ? Integer.toString(d.httpStatus()) : status.getReasonPhrase(),
                d.reason(),
                Long.toString(d.durationMs()),
                d.callerIp(),
                d.correlationId(),
                identity(d),
                new Properties(d.requestPath(), d.httpMethod(), d.httpStatus(), d.addressAuthorized(),
                        d.authorizationType() == null ? null : d.authorizationType().label(), d.accessPolicyMatch(),
                        d.trustedService(), d.eventId(), d.vault(), d.outcome().label(), d.layer().label(),
                        d.matchedRule(), d.subnetId(), d.source()));
    }

    private static Identity identity(Decision d) {
        Map<String, String> claims = new LinkedHashMap<>();
        if (d.objectId() != null) {
            claims.put(OBJECT_ID_CLAIM, d.objectId());
        }
        if (d.applicationId() != null) {
            claims.put("appid", d.applicationId());
        }
        if (d.tenantId() != null) {
            claims.put(TENANT_ID_CLAIM, d.tenantId());
        }
        return claims.isEmpty() ? null : new Identity(claims);
    }
}
