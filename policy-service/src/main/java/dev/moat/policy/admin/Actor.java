package dev.moat.policy.admin;

/**
 * Who asked for a change, as authenticated at the edge. Recorded in every ChangeEvent.
 *
 * @param tenantId token {@code tid}, or empty
 * @param objectId token {@code oid} or {@code sub}, or empty
 * @param applicationId token {@code appid}/{@code azp}, or empty
 */
public record Actor(String tenantId, String objectId, String applicationId) {

    public static final Actor UNKNOWN = new Actor("", "", "");

    public Actor {
        tenantId = tenantId == null ? "" : tenantId;
        objectId = objectId == null ? "" : objectId;
        applicationId = applicationId == null ? "" : applicationId;
    }
}
