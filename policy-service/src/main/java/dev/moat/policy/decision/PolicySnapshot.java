package dev.moat.policy.decision;

import dev.moat.policy.decision.Decision.Allowed;
import dev.moat.policy.decision.Decision.Denied;
import dev.moat.policy.network.Ipv4;
import dev.moat.policy.network.ReservedBlocks;
import dev.moat.policy.network.Subnet;
import dev.moat.policy.network.VirtualNetworks;
import dev.moat.policy.rules.Bypass;
import dev.moat.policy.rules.DefaultAction;
import dev.moat.policy.rules.IpRule;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.policy.rules.VirtualNetworkRule;
import dev.moat.policy.trust.TrustedService;
import dev.moat.policy.trust.TrustedServiceCatalog;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the firewall needs to decide, compiled for fast evaluation and immutable: the caller keeps the
 * current snapshot in an {@code AtomicReference} and swaps in a new one on every change, so a decision always
 * sees one consistent state and never waits for a writer.
 *
 * <p>Compiled per vault: the IP rules as disjoint address segments labelled with the first rule (in rule
 * order) containing them, searched by binary search; the virtual network rules as a hash map from subnet id
 * (lower case) to the rule. Compiled once for all vaults: a longest-prefix index over the subnets that have the
 * {@code Microsoft.KeyVault} endpoint, and a hash map from application id to trusted service. Vault compilations
 * do not depend on the networks, so {@link #withVault} and {@link #withVirtualNetworks} rebuild only what
 * changed.
 *
 * <p>{@link #decide} does no I/O and, on the common paths, allocates at most the decision it returns.
 */
public final class PolicySnapshot {

    private static final Allowed DEFAULT_ALLOW = new Allowed(Reason.DEFAULT_ALLOW, null, null, null);

    private final Map<String, CompiledVault> vaults;
    private final SubnetIndex subnets;
    private final Map<String, Allowed> trustedServices;

    private PolicySnapshot(Map<String, CompiledVault> vaults, SubnetIndex subnets, Map<String, Allowed> trustedServices) {
        this.vaults = vaults;
        this.subnets = subnets;
        this.trustedServices = trustedServices;
    }

    /**
     * Compiles a snapshot.
     *
     * @param vaults   every registered vault, with its rule set or empty for "no network rules" (which admits
     *                 everything); names compare case-insensitively
     * @param networks all virtual networks
     * @param catalog  the trusted services
     * @throws IllegalArgumentException when two vault names differ only in case
     */
    public static PolicySnapshot build(Map<String, Optional<NetworkRuleSet>> vaults, VirtualNetworks networks,
            TrustedServiceCatalog catalog) {
        Map<String, CompiledVault> compiled = new HashMap<>();
        vaults.forEach((name, rules) -> {
            if (compiled.put(vaultKey(name), CompiledVault.of(rules)) != null) {
                throw new IllegalArgumentException("two vaults named '" + name + "' (vault names are case-insensitive)");
            }
        });
        Map<String, Allowed> trusted = new HashMap<>();
        for (TrustedService service : catalog.services()) {
            trusted.put(service.applicationId().toString(), new Allowed(Reason.TRUSTED_SERVICE, null, service, null));
        }
        return new PolicySnapshot(Collections.unmodifiableMap(compiled), SubnetIndex.of(networks),
                Collections.unmodifiableMap(trusted));
    }

    /** A snapshot that knows no vault (every check is denied as unknown) and no network. */
    public static PolicySnapshot empty(TrustedServiceCatalog catalog) {
        return build(Map.of(), VirtualNetworks.empty(), catalog);
    }

    /** This snapshot with one vault registered or its rules replaced (empty rules: no network rules). */
    public PolicySnapshot withVault(String vault, Optional<NetworkRuleSet> rules) {
        Map<String, CompiledVault> copy = new HashMap<>(vaults);
        copy.put(vaultKey(vault), CompiledVault.of(rules));
        return new PolicySnapshot(Collections.unmodifiableMap(copy), subnets, trustedServices);
    }

    /** This snapshot without the vault: later checks for it are denied as unknown. */
    public PolicySnapshot withoutVault(String vault) {
        Map<String, CompiledVault> copy = new HashMap<>(vaults);
        copy.remove(vaultKey(vault));
        return new PolicySnapshot(Collections.unmodifiableMap(copy), subnets, trustedServices);
    }

    /** This snapshot with the virtual networks replaced (after a network was put or deleted, or an endpoint changed). */
    public PolicySnapshot withVirtualNetworks(VirtualNetworks networks) {
        return new PolicySnapshot(vaults, SubnetIndex.of(networks), trustedServices);
    }

    /** Whether the vault is registered. */
    public boolean knows(String vault) {
        return vaults.containsKey(vaultKey(vault));
    }

    /**
     * Decides one request, in the order of the architecture's "Firewall semantics": unknown vault, default
     * allow, trusted service, virtual network rule, IP rule, deny.
     */
    public Decision decide(CheckInput input) {
        CompiledVault vault = vaults.get(vaultKey(input.vault()));
        if (vault == null) {
            return Denied.unknownVault(input.vault());
        }
        if (vault.admitsEverything) {
            return DEFAULT_ALLOW;
        }
        if (vault.bypassesTrustedServices && input.callerApplicationId() != null) {
            Allowed trusted = trustedServices.get(input.callerApplicationId().toLowerCase(Locale.ROOT));
            if (trusted != null) {
                return trusted;
            }
        }

        long address = input.clientIpv4();
        String subnetId;
        String enabledSubnetKey;
        if (input.sourceSubnetId() != null) {
            // A trusted edge named the subnet: believe it over the address (the address may be NATed).
            subnetId = input.sourceSubnetId();
            enabledSubnetKey = subnets.keyVaultEnabledKey(subnetId);
        } else {
            int s = subnets.longestPrefixMatch(address);
            subnetId = s < 0 ? null : subnets.ids[s];
            enabledSubnetKey = s < 0 ? null : subnets.keys[s];
        }
        if (enabledSubnetKey != null) {
            String rule = vault.subnetRules.get(enabledSubnetKey);
            if (rule != null) {
                return new Allowed(Reason.VIRTUAL_NETWORK_RULE, rule, null, subnetId);
            }
        }

        int ipRule = vault.ipRules.find(address);
        if (ipRule >= 0 && ReservedBlocks.isPublic(address)) {
            return subnetId == null ? vault.ipRuleDecisions[ipRule]
                    : new Allowed(Reason.IP_RULE, vault.ipRuleValues[ipRule], null, subnetId);
        }
        return Denied.noMatchingRule(input.clientAddress(), subnetId);
    }

    private static String vaultKey(String vault) {
        return vault.toLowerCase(Locale.ROOT); // no copy when already lower case, the usual form of a host name
    }

    /** One vault's rules, compiled. */
    private static final class CompiledVault {

        private static final CompiledVault ADMITS_EVERYTHING =
                new CompiledVault(true, false, RangeIndex.EMPTY, new String[0], new Allowed[0], Map.of());

        final boolean admitsEverything;
        final boolean bypassesTrustedServices;
        final RangeIndex ipRules;
        final String[] ipRuleValues;
        final Allowed[] ipRuleDecisions; // prebuilt for the usual case: no subnet involved
        final Map<String, String> subnetRules; // subnet id in lower case -> the rule's subnet id as written

        private CompiledVault(boolean admitsEverything, boolean bypassesTrustedServices, RangeIndex ipRules,
                String[] ipRuleValues, Allowed[] ipRuleDecisions, Map<String, String> subnetRules) {
            this.admitsEverything = admitsEverything;
            this.bypassesTrustedServices = bypassesTrustedServices;
            this.ipRules = ipRules;
            this.ipRuleValues = ipRuleValues;
            this.ipRuleDecisions = ipRuleDecisions;
            this.subnetRules = subnetRules;
        }

        static CompiledVault of(Optional<NetworkRuleSet> ruleSet) {
            if (ruleSet.isEmpty() || ruleSet.get().defaultAction() == DefaultAction.ALLOW) {
                return ADMITS_EVERYTHING;
            }
            NetworkRuleSet rules = ruleSet.get();
            List<IpRule> ipRules = rules.ipRules();
            int n = ipRules.size();
            long[] first = new long[n];
            long[] last = new long[n];
            String[] values = new String[n];
            Allowed[] decisions = new Allowed[n];
            for (int i = 0; i < n; i++) {
                first[i] = ipRules.get(i).first();
                last[i] = ipRules.get(i).last();
                values[i] = ipRules.get(i).value();
                decisions[i] = new Allowed(Reason.IP_RULE, values[i], null, null);
            }
            Map<String, String> subnetRules = new HashMap<>();
            for (VirtualNetworkRule rule : rules.virtualNetworkRules()) {
                subnetRules.putIfAbsent(rule.subnetId().key(), rule.subnetId().value()); // first rule wins
            }
            return new CompiledVault(false, rules.bypass() == Bypass.AZURE_SERVICES, RangeIndex.build(first, last),
                    values, decisions, Collections.unmodifiableMap(subnetRules));
        }
    }

    /** The subnets that can attribute a request to themselves: those with the Microsoft.KeyVault endpoint. */
    private static final class SubnetIndex {

        final RangeIndex byAddress;
        final String[] ids;
        final String[] keys;
        // Open addressing over keys[], probed with an ASCII-case-insensitive hash of the id as received, so that
        // looking up a named subnet neither lower-cases (allocates) nor re-hashes a 150-character id twice.
        final int[] slots;

        private SubnetIndex(RangeIndex byAddress, String[] ids, String[] keys) {
            this.byAddress = byAddress;
            this.ids = ids;
            this.keys = keys;
            this.slots = new int[Integer.highestOneBit(Math.max(1, keys.length) * 2) * 2];
            Arrays.fill(slots, -1);
            for (int i = 0; i < keys.length; i++) {
                int slot = AsciiCase.hash(keys[i]) & (slots.length - 1);
                while (slots[slot] >= 0 && !keys[slots[slot]].equals(keys[i])) {
                    slot = (slot + 1) & (slots.length - 1);
                }
                slots[slot] = i;
            }
        }

        static SubnetIndex of(VirtualNetworks networks) {
            // Ranked so that the lowest index is the most specific: longest prefix first, then (for identical
            // prefixes in different networks, which Azure allows) the smallest id, so that ties resolve the same
            // way on every replica.
            List<Subnet> enabled = networks.all().stream()
                    .flatMap(n -> n.subnets().stream())
                    .filter(Subnet::hasKeyVaultEndpoint)
                    .sorted(Comparator.comparingInt((Subnet s) -> -s.addressPrefix().getNetworkPrefixLength())
                            .thenComparing(s -> s.id().key()))
                    .toList();
            int n = enabled.size();
            long[] first = new long[n];
            long[] last = new long[n];
            String[] ids = new String[n];
            String[] keys = new String[n];
            for (int i = 0; i < n; i++) {
                Subnet subnet = enabled.get(i);
                first[i] = Ipv4.first(subnet.addressPrefix());
                last[i] = Ipv4.last(subnet.addressPrefix());
                ids[i] = subnet.id().value();
                keys[i] = subnet.id().key();
            }
            return new SubnetIndex(RangeIndex.build(first, last), ids, keys);
        }

        /** The lower-case id of the Key Vault-enabled subnet with this id (ignoring ASCII case), or null. */
        String keyVaultEnabledKey(String subnetId) {
            int slot = AsciiCase.hash(subnetId) & (slots.length - 1);
            while (slots[slot] >= 0) {
                String key = keys[slots[slot]];
                if (AsciiCase.equalsLowerCase(subnetId, key)) {
                    return key;
                }
                slot = (slot + 1) & (slots.length - 1);
            }
            return null;
        }

        int longestPrefixMatch(long address) {
            return byAddress.find(address);
        }
    }
}
