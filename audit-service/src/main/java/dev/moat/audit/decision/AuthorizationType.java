package dev.moat.audit.decision;

import dev.moat.audit.common.Labelled;

/**
 * Azure's {@code addressAuthorizationType}: why the firewall admitted an address or not. A decision whose
 * firewall was not consulted has none.
 */
public enum AuthorizationType implements Labelled {
    DEFAULT_ALLOW,
    TRUSTED_SERVICE,
    VIRTUAL_NETWORK_RULE,
    IP_RULE,
    /** No rule admitted the request. */
    DENIED,
    /** policy-service did not know the vault (denied). */
    UNKNOWN_VAULT
}
