package dev.moat.vault.firewall;

import dev.moat.proto.policy.v1.CheckResponse;

/** What the firewall said about one request: a decision, or that it could not be asked (fail closed). */
public sealed interface FirewallAnswer {

    /** policy-service answered; {@code response.getAllowed()} says whether the request may go on. */
    record Decided(CheckResponse response) implements FirewallAnswer {
        public boolean allowed() {
            return response.getAllowed();
        }
    }

    /** policy-service was down, slow or failed: the request is refused with 503, never let through. */
    record Unavailable(String cause) implements FirewallAnswer {
    }
}
