package dev.moat.audit.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * One data-plane request and how it was decided, as stored. Mirrors {@code moat.events.v1.DecisionEvent};
 * text fields the event left empty are {@code null}.
 *
 * @param authorizationType {@code null} when the firewall was not consulted
 * @param callerIpNumber    the IPv4 client address as an unsigned 32-bit number, {@code null} when the caller
 *                          address is absent or not IPv4; what address and CIDR filters compare
 * @param staged            what the vault's staged (audit-only) rule set answered; {@code null} when it had none
 */
public record Decision(
        String eventId,
        Instant time,
        String vault,
        String operation,
        Outcome outcome,
        Layer layer,
        int httpStatus,
        String callerIp,
        Long callerIpNumber,
        String tenantId,
        String objectId,
        String applicationId,
        boolean addressAuthorized,
        AuthorizationType authorizationType,
        String matchedRule,
        String subnetId,
        String trustedService,
        boolean accessPolicyMatch,
        long durationMs,
        String correlationId,
        String reason,
        String requestPath,
        String httpMethod,
        String source,
        StagedDecision staged) {

    public Decision {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(layer, "layer");
    }
}
