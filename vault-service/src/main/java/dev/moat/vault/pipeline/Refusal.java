package dev.moat.vault.pipeline;

/**
 * Why the pipeline refused a request, as a value. The edge answers it in Key Vault's words ({@link RefusalAnswers}),
 * so that the pipeline decides without knowing the wire.
 */
public sealed interface Refusal {

    /** No vault is served at this host. */
    record VaultNotFound(String host) implements Refusal {
    }

    /** The decision-event spool is full and set to reject: no request is served without its event. */
    record DecisionSpoolFull() implements Refusal {
    }

    /** The client's origin could not be read (a malformed forwarded address, for example). */
    record BadOrigin(String message) implements Refusal {
    }

    /**
     * No valid token.
     *
     * @param message Key Vault's text, with its AKV code
     * @param challenge the {@code WWW-Authenticate} value
     */
    record Unauthenticated(String message, String challenge) implements Refusal {
    }

    /** policy-service could not be asked: refused, never let through. */
    record FirewallUnavailable() implements Refusal {
    }

    /**
     * The firewall denied the request. {@code subnet} is empty when the request came through none;
     * {@code subnetLacksEndpoint} says that the subnet it came through has no {@code Microsoft.KeyVault} endpoint.
     */
    record ForbiddenByFirewall(String clientAddress, String subnet, boolean subnetLacksEndpoint, String caller,
            String vault) implements Refusal {
    }

    /** Public network access is disabled on the vault and the caller is not a trusted service. */
    record PublicNetworkAccessDisabled(String clientAddress, String caller, String vault) implements Refusal {
    }

    /** No access policy grants the operation. */
    record ForbiddenByPolicy(String caller, String category, String permission, String vault, String location)
            implements Refusal {
    }

    /**
     * The request is over a size limit and was refused before any check: its request line (414), its header fields
     * (431) or its body (413).
     */
    record RequestTooLarge(Part part, long size, long limit) implements Refusal {

        /** The part of the request that is too large, with the HTTP status that says so. */
        public enum Part {
            REQUEST_LINE(414), HEADER_FIELDS(431), BODY(413);

            private final int status;

            Part(int status) {
                this.status = status;
            }

            public int status() {
                return status;
            }
        }

        /** The reason recorded in the decision event. */
        public String reason() {
            return switch (part) {
                case REQUEST_LINE -> "request line of " + size + " bytes is longer than the limit of " + limit;
                case HEADER_FIELDS -> "header fields of " + size + " bytes are larger than the limit of " + limit;
                case BODY -> "body of " + size + " bytes is larger than the limit of " + limit;
            };
        }
    }

    /** The operation failed unexpectedly; the correlation id finds it in the log. */
    record InternalError(String correlationId) implements Refusal {
    }
}
