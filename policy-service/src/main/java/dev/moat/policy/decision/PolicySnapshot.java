package dev.moat.policy.decision;

import dev.moat.netaddr.Ipv4;
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
 * (lower case) to the rule. Compiled once for all vaults: a most-specific-prefix index over every known subnet
 * (with or without the {@code Microsoft.KeyVault} endpoint: a narrower subnet without it must win over a wider one
 * with it), and a hash map from application id to trusted service. Vault compilations
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

        if (!input.ipv4()) {
            return Denied.notIpv4(input.clientAddress());
        }
        long address = input.clientIpv4();
        int s = subnets.attribute(input.sourceSubnetId(), input.sourceSubnetBehindNat(), address);
        SourceSubnet subnet = s >= 0 ? subnets.subnets[s]
                : s == SubnetIndex.NAMED_UNKNOWN ? new SourceSubnet(input.sourceSubnetId(), false) : null;
        if (s >= 0 && subnet.keyVaultEndpoint()) {
            String rule = vault.subnetRules.get(subnets.keys[s]);
            if (rule != null) {
                return new Allowed(Reason.VIRTUAL_NETWORK_RULE, rule, null, subnet);
            }
        }

        int ipRule = vault.ipRules.find(address);
        if (ipRule >= 0 && ReservedBlocks.isPublic(address)) {
            return subnet == null ? vault.ipRuleDecisions[ipRule]
                    : new Allowed(Reason.IP_RULE, vault.ipRuleValues[ipRule], null, subnet);
        }
        return Denied.noMatchingRule(input.clientAddress(), subnet);
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

    /**
     * Every known subnet, endpoint or not, ranked so that the lowest index is the most specific: longest prefix
     * first; among identical prefixes (different networks, which Azure allows) a subnet without the
     * {@code Microsoft.KeyVault} endpoint first, since the address may have come through it and must then not be let
     * in on another network's rule; then the smallest id, so that ties resolve the same way on every replica. See
     * docs/adr/0007-subnet-attribution.md.
     */
    private static final class SubnetIndex {

        static final int NONE = -1;
        static final int NAMED_UNKNOWN = -2;

        final RangeIndex byAddress;
        final SourceSubnet[] subnets;
        final String[] keys;
        final long[] first;
        final long[] last;
        // Open addressing over keys[], probed with an ASCII-case-insensitive hash of the id as received, so that
        // looking up a named subnet neither lower-cases (allocates) nor re-hashes a 150-character id twice.
        final int[] slots;

        private SubnetIndex(SourceSubnet[] subnets, String[] keys, long[] first, long[] last) {
            this.byAddress = RangeIndex.build(first, last);
            this.subnets = subnets;
            this.keys = keys;
            this.first = first;
            this.last = last;
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
            List<Subnet> ranked = networks.all().stream()
                    .flatMap(n -> n.subnets().stream())
                    .sorted(Comparator.comparingInt((Subnet s) -> -s.addressPrefix().getNetworkPrefixLength())
                            .thenComparing(Subnet::hasKeyVaultEndpoint)
                            .thenComparing(s -> s.id().key()))
                    .toList();
            int n = ranked.size();
            long[] first = new long[n];
            long[] last = new long[n];
            SourceSubnet[] subnets = new SourceSubnet[n];
            String[] keys = new String[n];
            for (int i = 0; i < n; i++) {
                Subnet subnet = ranked.get(i);
                first[i] = Ipv4.first(subnet.addressPrefix());
                last[i] = Ipv4.last(subnet.addressPrefix());
                subnets[i] = new SourceSubnet(subnet.id().value(), subnet.hasKeyVaultEndpoint());
                keys[i] = subnet.id().key();
            }
            return new SubnetIndex(subnets, keys, first, last);
        }

        /**
         * The subnet a request is attributed to, as an index into {@link #subnets}: the one a trusted edge named,
         * when it is known and contains the address (behind NAT: whenever it is known); otherwise the most specific
         * subnet containing the address. {@link #NONE} when no subnet contains it; {@link #NAMED_UNKNOWN} when, behind
         * NAT, the edge named a subnet that is not known (it has no endpoint, so it admits nobody).
         */
        int attribute(String namedId, boolean behindNat, long address) {
            if (namedId != null) {
                int named = indexOf(namedId);
                if (named >= 0 && (behindNat || (address >= first[named] && address <= last[named]))) {
                    return named;
                }
                if (named < 0 && behindNat) {
                    return NAMED_UNKNOWN;
                }
                // Named but not believable: the address decides, as if no subnet had been named.
            }
            return byAddress.find(address);
        }

        private int indexOf(String subnetId) {
            int slot = AsciiCase.hash(subnetId) & (slots.length - 1);
            while (slots[slot] >= 0) {
                if (AsciiCase.equalsLowerCase(subnetId, keys[slots[slot]])) {
                    return slots[slot];
                }
                slot = (slot + 1) & (slots.length - 1);
            }
            return -1;
        }
    }
}
