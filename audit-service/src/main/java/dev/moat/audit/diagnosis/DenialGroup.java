package dev.moat.audit.diagnosis;

import java.time.Instant;
import java.util.Set;

/**
 * Firewall denials of one vault that share a client address and a subnet, as the store counts them.
 *
 * @param callerIp  {@code null} when vault-service could not tell the client address
 * @param subnetId  {@code null} when the requests did not come through a known subnet
 * @param operations the distinct Key Vault operations tried
 */
public record DenialGroup(String callerIp, String subnetId, long count, Instant firstSeen, Instant lastSeen,
        Set<String> operations) {
}
