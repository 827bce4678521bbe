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

    /** The operation failed unexpectedly; the correlation id finds it in the log. */
    record InternalError(String correlationId) implements Refusal {
    }
}
