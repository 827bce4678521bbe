package dev.moat.audit.change;

import dev.moat.audit.common.Labelled;

/** What kind of resource a management change is about. */
public enum ResourceKind implements Labelled {
    VAULT,
    NETWORK_RULE_SET,
    ACCESS_POLICIES,
    VIRTUAL_NETWORK
}
