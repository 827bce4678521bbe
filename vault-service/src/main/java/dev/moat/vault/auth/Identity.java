package dev.moat.vault.auth;

/**
 * An authenticated caller, from its token's claims.
 *
 * @param tenantId {@code tid}
 * @param objectId {@code oid} (or {@code sub} when the issuer sends no {@code oid})
 * @param applicationId {@code appid} or {@code azp}; empty when neither is present
 * @param issuer {@code iss}
 */
public record Identity(String tenantId, String objectId, String applicationId, String issuer) {

    public Identity {
        tenantId = tenantId == null ? "" : tenantId;
        objectId = objectId == null ? "" : objectId;
        applicationId = applicationId == null ? "" : applicationId;
        issuer = issuer == null ? "" : issuer;
    }

    /** The caller as Azure's firewall and access-policy messages show it: {@code appid=…;oid=…;iss=…}. */
    public String describe() {
        return "appid=" + applicationId + ";oid=" + objectId + ";iss=" + issuer;
    }
}
