package dev.moat.audit.decision;

import dev.moat.audit.common.Labelled;

/**
 * Azure's {@code addressAuthorizationType}: why the firewall admitted an address or not. A decision whose
 * firewall was not consulted has none.
 */
public enum AuthorizationType implements Labelled {
    DEFAULT_ALLOW("DefaultAllow"),
    TRUSTED_SERVICE("TrustedService"),
    VIRTUAL_NETWORK_RULE("VirtualNetworkRule"),
    IP_RULE("IpRule"),
    /** No rule admitted the request. */
    DENIED("Denied"),
    /** policy-service did not know the vault (denied). */
    UNKNOWN_VAULT("UnknownVault");

    private final String label;

    AuthorizationType(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
