package dev.moat.audit.decision;

import java.util.Objects;

/**
 * What a vault's audit-only (staged) rule set answered for a request, beside the enforced answer of its
 * {@link Decision}: recorded, never enforced.
 *
 * @param addressAuthorized whether the staged rules admit the address
 * @param authorizationType why
 * @param matchedRule       the rule that would admit it; {@code null} when none
 * @param trustedService    the trusted service that would pass; {@code null} when none
 */
public record StagedDecision(boolean addressAuthorized, AuthorizationType authorizationType, String matchedRule,
        String trustedService) {

    public StagedDecision {
        Objects.requireNonNull(authorizationType, "authorizationType");
    }
}
