package dev.moat.policy.rules;

import dev.moat.policy.network.SubnetId;
import java.util.Objects;

/**
 * One virtual network rule: requests that come through this subnet pass, provided the subnet has the
 * {@code Microsoft.KeyVault} service endpoint enabled at the time of the request.
 *
 * @param subnetId                         the subnet, compared case-insensitively
 * @param ignoreMissingVnetServiceEndpoint whether the rule was accepted although the subnet did not exist or
 *                                         lacked the endpoint (it takes effect once the endpoint is enabled)
 */
public record VirtualNetworkRule(SubnetId subnetId, boolean ignoreMissingVnetServiceEndpoint) {

    public VirtualNetworkRule {
        Objects.requireNonNull(subnetId, "subnetId");
    }
}
