package dev.moat.audit.api;

import java.time.Instant;

import dev.moat.audit.decision.Decision;

/** A decision as the API shows it: camelCase names, enums by their Azure-style names, absent texts null. */
public record DecisionView(
        String eventId,
        Instant time,
        String vault,
        String operation,
        String result,
        String layer,
        int httpStatus,
        String callerIp,
        String tenantId,
        String objectId,
        String applicationId,
        boolean isAddressAuthorized,
        String addressAuthorizationType,
        String matchedRule,
        String subnetId,
        String trustedService,
        boolean isAccessPolicyMatch,
        long durationMs,
        String correlationId,
        String reason,
        String requestPath,
        String httpMethod,
        String source,
        Staged staged) {

    /** What the vault's staged (audit-only) rule set answered; null when it had none. */
    public record Staged(boolean isAddressAuthorized, String addressAuthorizationType, String matchedRule,
            String trustedService) {
    }

    static DecisionView of(Decision d) {
        return new DecisionView(d.eventId(), d.time(), d.vault(), d.operation(), d.outcome().label(),
                d.layer().label(), d.httpStatus(), d.callerIp(), d.tenantId(), d.objectId(), d.applicationId(),
                d.addressAuthorized(), d.authorizationType() == null ? null : d.authorizationType().label(),
                d.matchedRule(), d.subnetId(), d.trustedService(), d.accessPolicyMatch(), d.durationMs(),
                d.correlationId(), d.reason(), d.requestPath(), d.httpMethod(), d.source(),
                d.staged() == null ? null : new Staged(d.staged().addressAuthorized(),
                        d.staged().authorizationType().label(), d.staged().matchedRule(), d.staged().trustedService()));
    }
}
