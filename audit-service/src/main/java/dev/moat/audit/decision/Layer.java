package dev.moat.audit.decision;

import dev.moat.audit.common.Labelled;

/** The layer of the request path that settled a request. */
public enum Layer implements Labelled {
    /** No or invalid token (401). */
    AUTHENTICATION,
    /** The network rules (403 ForbiddenByFirewall), or policy-service could not be asked (503). */
    FIREWALL,
    /** The vault's access policies (403 ForbiddenByPolicy). */
    ACCESS_POLICY,
    /** Every check passed and the operation ran. */
    OPERATION,
    /** The request itself was over the size limits (414, 431, 413), refused before any check. */
    REQUEST
}
