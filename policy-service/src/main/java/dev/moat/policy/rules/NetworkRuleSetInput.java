package dev.moat.policy.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A rule set exactly as received (ARM {@code networkAcls}), before validation. Any field may be null or
 * malformed: {@link NetworkRuleSetValidator} says what is wrong with it.
 *
 * @param defaultAction       {@code Allow}/{@code Deny} in any case; null or blank means {@code Allow} (ARM)
 * @param bypass              {@code AzureServices}/{@code None} in any case; null or blank means
 *                            {@code AzureServices} (ARM)
 * @param ipRules             IP rule values; null means none
 * @param virtualNetworkRules virtual network rules; null means none
 */
public record NetworkRuleSetInput(
        String defaultAction,
        String bypass,
        List<String> ipRules,
        List<VirtualNetworkRuleInput> virtualNetworkRules) {

    public NetworkRuleSetInput {
        // Not List.copyOf: null elements are input errors to report, not reasons to throw.
        ipRules = ipRules == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(ipRules));
        virtualNetworkRules = virtualNetworkRules == null ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(virtualNetworkRules));
    }

    /** The input that reproduces a validated rule set, for read-modify-write updates. */
    public static NetworkRuleSetInput from(NetworkRuleSet rules) {
        return new NetworkRuleSetInput(
                rules.defaultAction().armName(),
                rules.bypass().armName(),
                rules.ipRules().stream().map(IpRule::value).toList(),
                rules.virtualNetworkRules().stream()
                        .map(r -> new VirtualNetworkRuleInput(r.subnetId().value(), r.ignoreMissingVnetServiceEndpoint()))
                        .toList());
    }
}
