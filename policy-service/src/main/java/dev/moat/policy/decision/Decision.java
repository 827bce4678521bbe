package dev.moat.policy.decision;

import dev.moat.policy.trust.TrustedService;
import inet.ipaddr.IPAddress;
import java.util.Objects;

/**
 * The firewall's answer for one request, with its reason. It is the network layer only: an allowed request
 * still needs a valid token and an access policy.
 */
public sealed interface Decision permits Decision.Allowed, Decision.Denied {

    Reason reason();

    /** The subnet the request was attributed to (named by a trusted edge or resolved); null when none. */
    SourceSubnet sourceSubnet();

    /** Full id of {@link #sourceSubnet()}; null when none. */
    default String resolvedSubnetId() {
        return sourceSubnet() == null ? null : sourceSubnet().id();
    }

    /** One sentence for humans and logs. */
    String message();

    default boolean allowed() {
        return reason().allows();
    }

    /**
     * The request passes the firewall.
     *
     * @param reason           one of the allowing reasons
     * @param matchedRule      the IP rule's value or the virtual network rule's subnet id; null when no rule was needed
     * @param trustedService   the trusted service let through, for {@link Reason#TRUSTED_SERVICE}; otherwise null
     * @param sourceSubnet     see {@link Decision#sourceSubnet()}
     */
    record Allowed(Reason reason, String matchedRule, TrustedService trustedService, SourceSubnet sourceSubnet)
            implements Decision {

        public Allowed {
            Objects.requireNonNull(reason, "reason");
            if (!reason.allows()) {
                throw new IllegalArgumentException(reason + " does not allow");
            }
            if ((reason == Reason.TRUSTED_SERVICE) != (trustedService != null)) {
                throw new IllegalArgumentException("a trusted service is named exactly when the reason is TRUSTED_SERVICE");
            }
        }

        @Override
        public String message() {
            return switch (reason) {
                case DEFAULT_ALLOW -> "The vault's firewall admits every network (no network rules, or defaultAction Allow).";
                case TRUSTED_SERVICE -> "Caller is the trusted service " + trustedService.name()
                        + " and the vault lets trusted services bypass its firewall.";
                case VIRTUAL_NETWORK_RULE -> "Request came through subnet " + sourceSubnet.id()
                        + ", admitted by the virtual network rule for " + matchedRule + ".";
                case IP_RULE -> "Client address is inside IP rule " + matchedRule + ".";
                default -> throw new IllegalStateException(reason.name());
            };
        }
    }

    /**
     * The request is refused by the firewall.
     *
     * @param reason           {@link Reason#DENIED} or {@link Reason#UNKNOWN_VAULT}
     * @param sourceSubnet     see {@link Decision#sourceSubnet()}
     * @param message          names the client address (or the unknown vault)
     */
    record Denied(Reason reason, SourceSubnet sourceSubnet, String message) implements Decision {

        public Denied {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            if (reason.allows()) {
                throw new IllegalArgumentException(reason + " allows");
            }
        }

        /**
         * No rule admits the client; worded as Azure's ForbiddenByFirewall, naming the subnet the request was
         * attributed to and, when that subnet lacks the Microsoft.KeyVault endpoint, saying so.
         */
        public static Denied noMatchingRule(IPAddress clientAddress, SourceSubnet sourceSubnet) {
            return new Denied(Reason.DENIED, sourceSubnet, "Client address " + clientAddress
                    + " is not authorized and caller is not a trusted service"
                    + (sourceSubnet == null ? "." : " (request came through subnet " + sourceSubnet.describe() + ")."));
        }

        /** A client that is not IPv4: only the default action or a trusted service could have admitted it. */
        public static Denied notIpv4(IPAddress clientAddress) {
            return new Denied(Reason.DENIED, null, "Client address " + clientAddress
                    + " is not authorized and caller is not a trusted service (network rules are IPv4-only, so no"
                    + " IP or virtual network rule can admit a client that is not IPv4).");
        }

        /** The vault is not registered with policy-service. */
        public static Denied unknownVault(String vault) {
            return new Denied(Reason.UNKNOWN_VAULT, null,
                    "Vault '" + vault + "' is not registered with the firewall, so every request to it is denied.");
        }
    }
}
