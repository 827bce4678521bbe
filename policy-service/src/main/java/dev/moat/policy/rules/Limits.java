package dev.moat.policy.rules;

/**
 * How many rules a vault may have. The defaults are the source document's: "a maximum of 127 virtual network
 * rules and 127 IPv4 rules"; operators may change them.
 */
public record Limits(int maxIpRules, int maxVirtualNetworkRules) {

    /** 127 IP rules and 127 virtual network rules, as Azure Key Vault. */
    public static final Limits DEFAULT = new Limits(127, 127);

    public Limits {
        if (maxIpRules < 0 || maxVirtualNetworkRules < 0) {
            throw new IllegalArgumentException("limits cannot be negative: " + maxIpRules + ", " + maxVirtualNetworkRules);
        }
    }
}
