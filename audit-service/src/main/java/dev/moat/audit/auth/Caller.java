package dev.moat.audit.auth;

/**
 * Who a valid token names.
 *
 * @param tenantId the token's {@code tid}, or null
 * @param objectId its {@code oid}, else its {@code sub}
 * @param applicationId its {@code appid}, else its {@code azp}, or null
 */
public record Caller(String tenantId, String objectId, String applicationId) {
}
