package dev.moat.policy.rules;

/**
 * A virtual network rule as received (ARM {@code virtualNetworkRules[]}), before validation.
 *
 * @param id                               full ARM id of the subnet
 * @param ignoreMissingVnetServiceEndpoint accept the rule even if the subnet is missing or lacks the
 *                                         {@code Microsoft.KeyVault} endpoint
 */
public record VirtualNetworkRuleInput(String id, boolean ignoreMissingVnetServiceEndpoint) {
}
