package dev.moat.audit.whatif;

import java.time.Instant;
import java.util.Set;

/**
 * An origin as the audit trail saw it over a window.
 *
 * @param requests   how many requests came from it (the firewall consulted)
 * @param lastSeen   the last of them
 * @param operations the Key Vault operations they tried
 * @param before     how the enforced rules decided its latest request
 */
public record SeenOrigin(Origin origin, long requests, Instant lastSeen, Set<String> operations, Verdict before) {
}
