package dev.moat.policy.decision;

import dev.moat.netaddr.ReservedBlocks;
import dev.moat.policy.decision.Decision.Allowed;
import dev.moat.policy.decision.Decision.Denied;
import dev.moat.policy.network.Subnet;
import dev.moat.policy.network.VirtualNetworks;
import dev.moat.policy.rules.Bypass;
import dev.moat.policy.rules.DefaultAction;
import dev.moat.policy.rules.IpRule;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.policy.rules.VirtualNetworkRule;
import dev.moat.policy.trust.TrustedService;
import dev.moat.policy.trust.TrustedServiceCatalog;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The firewall's decision written as plainly as possible: the architecture's rules in order, linear scans,
 * {@code IPAddress.contains}. Slow, and only for tests: the compiled {@link PolicySnapshot} must agree with it.
 */
final class ReferenceEvaluator {

    private final Map<String, Optional<NetworkRuleSet>> vaults;
    private final VirtualNetworks networks;
    private final TrustedServiceCatalog catalog;

    ReferenceEvaluator(Map<String, Optional<NetworkRuleSet>> vaults, VirtualNetworks networks, TrustedServiceCatalog catalog) {
        this.vaults = vaults;
        this.networks = networks;
        this.catalog = catalog;
    }

    Decision decide(CheckInput input) {
        // An unknown vault is denied.
        Optional<NetworkRuleSet> found = null;
        for (Map.Entry<String, Optional<NetworkRuleSet>> vault : vaults.entrySet()) {
            if (lower(vault.getKey()).equals(lower(input.vault()))) {
                found = vault.getValue();
            }
        }
        if (found == null) {
            return Denied.unknownVault(input.vault());
        }

        // 1. No network rules, or defaultAction Allow.
        if (found.isEmpty() || found.get().defaultAction() == DefaultAction.ALLOW) {
            return new Allowed(Reason.DEFAULT_ALLOW, null, null, null);
        }
        NetworkRuleSet rules = found.get();

        // 2. Trusted service, when bypass is AzureServices.
        if (rules.bypass() == Bypass.AZURE_SERVICES) {
            Optional<TrustedService> service = catalog.find(input.callerApplicationId());
            if (service.isPresent()) {
                return new Allowed(Reason.TRUSTED_SERVICE, null, service.get(), null);
            }
        }

        // Clients that are not IPv4: rules are IPv4-only, so nothing below can admit them.
        if (!input.clientAddress().isIPv4()) {
            return Denied.notIpv4(input.clientAddress());
        }

        // 3. The source subnet: the one the edge named, when it is known and contains the address (behind NAT:
        //    whenever named); else the most specific of all known subnets containing the address.
        SourceSubnet source = null;
        if (input.sourceSubnetId() != null) {
            Subnet named = null;
            for (var network : networks.all()) {
                for (Subnet subnet : network.subnets()) {
                    if (subnet.id().key().equals(asciiLower(input.sourceSubnetId()))) {
                        named = subnet;
                    }
                }
            }
            if (named != null && (input.sourceSubnetBehindNat() || named.addressPrefix().contains(input.clientAddress()))) {
                source = new SourceSubnet(named.id().value(), named.hasKeyVaultEndpoint());
            } else if (named == null && input.sourceSubnetBehindNat()) {
                source = new SourceSubnet(input.sourceSubnetId(), false);
            }
        }
        if (source == null) {
            Subnet best = null;
            for (var network : networks.all()) {
                for (Subnet subnet : network.subnets()) {
                    if (subnet.addressPrefix().contains(input.clientAddress()) && (best == null || moreSpecific(subnet, best))) {
                        best = subnet;
                    }
                }
            }
            if (best != null) {
                source = new SourceSubnet(best.id().value(), best.hasKeyVaultEndpoint());
            }
        }
        if (source != null && source.keyVaultEndpoint()) {
            for (VirtualNetworkRule rule : rules.virtualNetworkRules()) {
                if (rule.subnetId().key().equals(asciiLower(source.id()))) {
                    return new Allowed(Reason.VIRTUAL_NETWORK_RULE, rule.subnetId().value(), null, source);
                }
            }
        }

        // 4. A public client address inside an IP rule; the first such rule in rule order is reported.
        if (ReservedBlocks.overlapping(input.clientAddress()).isEmpty()) {
            for (IpRule rule : rules.ipRules()) {
                if (rule.address().contains(input.clientAddress())) {
                    return new Allowed(Reason.IP_RULE, rule.value(), null, source);
                }
            }
        }

        // 5. Nothing admits it.
        return Denied.noMatchingRule(input.clientAddress(), source);
    }

    /**
     * Longer prefix wins; between equal prefixes (different networks), one without the Key Vault endpoint (the
     * request may have come through it), then the smaller id.
     */
    private static boolean moreSpecific(Subnet candidate, Subnet best) {
        int a = candidate.addressPrefix().getNetworkPrefixLength();
        int b = best.addressPrefix().getNetworkPrefixLength();
        if (a != b) {
            return a > b;
        }
        if (candidate.hasKeyVaultEndpoint() != best.hasKeyVaultEndpoint()) {
            return !candidate.hasKeyVaultEndpoint();
        }
        return candidate.id().key().compareTo(best.id().key()) < 0;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** ARM ids compare ignoring ASCII case only. */
    private static String asciiLower(String s) {
        StringBuilder lower = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            lower.append(c >= 'A' && c <= 'Z' ? Character.toLowerCase(c) : c);
        }
        return lower.toString();
    }
}
