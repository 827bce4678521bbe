package dev.moat.policy.rules;

import java.util.List;
import java.util.Objects;

/**
 * A vault's firewall, ARM {@code networkAcls}. Rule order is kept: when several IP rules contain an address,
 * the first one is the one reported as matched.
 *
 * <p>Produce it with {@link NetworkRuleSetValidator}; this record only guards against nulls.
 */
public record NetworkRuleSet(
        DefaultAction defaultAction,
        Bypass bypass,
        List<IpRule> ipRules,
        List<VirtualNetworkRule> virtualNetworkRules) {

    public NetworkRuleSet {
        Objects.requireNonNull(defaultAction, "defaultAction");
        Objects.requireNonNull(bypass, "bypass");
        ipRules = List.copyOf(ipRules);
        virtualNetworkRules = List.copyOf(virtualNetworkRules);
    }
}
