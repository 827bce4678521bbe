package dev.moat.audit.change;

import dev.moat.audit.common.Labelled;

/** What kind of resource a management change is about. */
public enum ResourceKind implements Labelled {
    VAULT("Vault"),
    NETWORK_RULE_SET("NetworkRuleSet"),
    ACCESS_POLICIES("AccessPolicies"),
    VIRTUAL_NETWORK("VirtualNetwork");

    private final String label;

    ResourceKind(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
