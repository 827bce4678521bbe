package dev.moat.audit.whatif;

/**
 * Where requests to a vault came from, as the audit trail keeps them: what the firewall decides on (address,
 * subnet, application id) and who the caller was. Absent parts are {@code null}.
 *
 * @param trustedService the trusted service the firewall recognised the caller as; {@code null} when none
 */
public record Origin(String clientAddress, String subnetId, String objectId, String applicationId,
        String trustedService) {
}
