package dev.moat.audit.diagnosis;

import dev.moat.audit.common.Labelled;

/**
 * The network rule change that would admit denied requests, as the firewall's order of checks implies: a request
 * through a subnet is admitted by a virtual network rule for that subnet (with the {@code Microsoft.KeyVault}
 * service endpoint enabled on it); a request from a public address by an IP rule; a private address cannot be
 * named by an IP rule at all.
 *
 * @param rule the IP rule value or the subnet id to add; {@code null} when no single rule can be named
 */
public record Remedy(Kind kind, String rule, String description) {

    public enum Kind implements Labelled {
        /** Add an IP rule for the public address. */
        ADD_IP_RULE,
        /** Enable the Microsoft.KeyVault endpoint on the subnet and add a virtual network rule for it. */
        ADD_VIRTUAL_NETWORK_RULE,
        /** A private address with no known subnet: only a subnet with the endpoint and a rule can admit it. */
        USE_VIRTUAL_NETWORK,
        /** The client is not IPv4 (network rules are IPv4-only): no IP or virtual network rule can admit it. */
        USE_IPV4,
        /** The client address is unknown: nothing to name. */
        UNKNOWN_CLIENT
    }

    static Remedy ipRule(String address) {
        return new Remedy(Kind.ADD_IP_RULE, address,
                "Add an IP rule for " + address + " to the vault's network rules (networkAcls.ipRules).");
    }

    static Remedy virtualNetworkRule(String subnetId) {
        return new Remedy(Kind.ADD_VIRTUAL_NETWORK_RULE, subnetId,
                "Enable the Microsoft.KeyVault service endpoint on subnet " + subnetId
                        + " and add a virtual network rule for that subnet (networkAcls.virtualNetworkRules).");
    }

    static Remedy virtualNetwork(String address) {
        return new Remedy(Kind.USE_VIRTUAL_NETWORK, null, address + " is a private address, which an IP rule cannot"
                + " admit: send its requests through a subnet with the Microsoft.KeyVault service endpoint enabled and"
                + " add a virtual network rule for that subnet.");
    }

    static Remedy useIpv4(String address) {
        return new Remedy(Kind.USE_IPV4, null, address + " is not an IPv4 address and network rules are IPv4-only:"
                + " reach the vault over IPv4, call it as a trusted service (bypass: AzureServices), or admit every"
                + " network with defaultAction: Allow.");
    }

    static Remedy unknownClient() {
        return new Remedy(Kind.UNKNOWN_CLIENT, null,
                "The client address is unknown, so no rule can be named: check the proxy and X-Forwarded-For setup.");
    }
}
