package dev.moat.policy.auth;

/** The two things one may do with policy-service, carried in the token's {@code roles} claim. */
public enum Role {
    /** Ask {@code DecisionService/Check}: the vault-service identity. */
    CHECK("Policy.Check"),
    /** Call {@code NetworkPolicyAdmin}: administrators, and vault-service acting for its management plane. */
    ADMIN("Policy.Admin"),
    /** Call {@code RuleSetEvaluation} (what-if of a rule change; changes nothing): audit-service. */
    EVALUATE("Policy.Evaluate");

    private final String claim;

    Role(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }
}
