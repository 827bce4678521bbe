package dev.moat.vault.management;

import dev.moat.vault.firewall.PolicyAdminClient;

/** policy-service's admin failures as ARM errors: its validation messages reach the user unchanged. */
final class PolicyErrors {

    private PolicyErrors() {
    }

    static ArmException toArm(PolicyAdminClient.Failure failure) {
        return switch (failure.kind()) {
            case INVALID -> ArmException.badRequest("BadRequest", failure.getMessage());
            case NOT_FOUND -> new ArmException(404, "NotFound", failure.getMessage());
            case CONFLICT -> new ArmException(409, "Conflict", failure.getMessage());
            case DENIED -> new ArmException(403, "LinkedAuthorizationFailed", "policy-service refused the change: "
                    + failure.getMessage());
            case UNAVAILABLE -> new ArmException(503, "ServiceUnavailable", "policy-service, which keeps the network "
                    + "rules, could not be reached; nothing was changed. Retry later. (" + failure.getMessage() + ")");
        };
    }
}
