package dev.moat.policy.decision;

import dev.moat.policy.network.VirtualNetworks;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.policy.trust.TrustedServiceCatalog;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The two implementations of the decision, so that scenario tests hold for both. */
enum Engine {
    COMPILED_SNAPSHOT,
    REFERENCE_EVALUATOR;

    Function<CheckInput, Decision> over(Map<String, Optional<NetworkRuleSet>> vaults, VirtualNetworks networks,
            TrustedServiceCatalog catalog) {
        return switch (this) {
            case COMPILED_SNAPSHOT -> PolicySnapshot.build(vaults, networks, catalog)::decide;
            case REFERENCE_EVALUATOR -> new ReferenceEvaluator(vaults, networks, catalog)::decide;
        };
    }
}
