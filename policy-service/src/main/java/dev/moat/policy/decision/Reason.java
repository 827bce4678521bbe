package dev.moat.policy.decision;

/**
 * Why the firewall answered as it did, in evaluation order. Names follow Azure's AuditEvent
 * {@code addressAuthorizationType}.
 */
public enum Reason {
    /** The vault has no network rules, or its default action is Allow. */
    DEFAULT_ALLOW(true),
    /** Bypass is AzureServices and the caller's application id is in the trusted-services catalog. */
    TRUSTED_SERVICE(true),
    /** The request came through a subnet with the Microsoft.KeyVault endpoint that a virtual network rule names. */
    VIRTUAL_NETWORK_RULE(true),
    /** The client address is public and inside an IP rule. */
    IP_RULE(true),
    /** No rule admits the request (Azure: NoMatchingRule). */
    DENIED(false),
    /** The vault is not registered. Lost state must never open a vault, so this denies. */
    UNKNOWN_VAULT(false);

    private final boolean allows;

    Reason(boolean allows) {
        this.allows = allows;
    }

    /** Whether a decision for this reason lets the request through. */
    public boolean allows() {
        return allows;
    }
}
