package dev.moat.policy.rules;

import dev.moat.netaddr.Ipv4;
import dev.moat.netaddr.ReservedBlocks;
import dev.moat.policy.network.ServiceEndpoints;
import dev.moat.policy.network.Subnet;
import dev.moat.policy.network.SubnetId;
import dev.moat.policy.network.VirtualNetworks;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Validates a vault's network rules: every rule and limit of the source document, all violations at once.
 *
 * <p>Whole rule sets ({@link #validate}) and single-rule edits ({@link #addIpRule}, {@link #addVirtualNetworkRule},
 * and their removals) apply the same checks. Edits check only the rule being added, not the ones already
 * stored: a subnet deleted since a rule was accepted must not block adding an unrelated IP rule.
 */
public final class NetworkRuleSetValidator {

    private final Limits limits;

    public NetworkRuleSetValidator(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A validator with the source document's limits (127 and 127). */
    public NetworkRuleSetValidator() {
        this(Limits.DEFAULT);
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Validates a whole rule set (ARM PUT of {@code networkAcls}).
     *
     * @param networks the virtual networks now stored, to check that virtual network rules name usable subnets
     */
    public Validated<NetworkRuleSet> validate(NetworkRuleSetInput input, VirtualNetworks networks) {
        List<Violation> violations = new ArrayList<>();
        DefaultAction defaultAction = defaultAction(input.defaultAction(), violations);
        Bypass bypass = bypass(input.bypass(), violations);

        List<String> rawIpRules = input.ipRules();
        if (rawIpRules.size() > limits.maxIpRules()) {
            violations.add(tooMany("ipRules", rawIpRules.size(), limits.maxIpRules(), "IP rules",
                    ViolationCode.TOO_MANY_IP_RULES));
        }
        List<IpRule> ipRules = new ArrayList<>();
        Map<String, Integer> seenIpRules = new HashMap<>();
        for (int i = 0; i < rawIpRules.size(); i++) {
            String field = "ipRules[" + i + "].value";
            Validated<IpRule> rule = ipRule(field, rawIpRules.get(i));
            violations.addAll(rule.violations());
            if (rule instanceof Validated.Valid<IpRule> valid) {
                Integer first = seenIpRules.putIfAbsent(valid.value().value(), i);
                if (first != null) {
                    violations.add(new Violation(field, rawIpRules.get(i), ViolationCode.DUPLICATE_IP_RULE,
                            "'" + rawIpRules.get(i) + "' duplicates ipRules[" + first + "] (" + valid.value().value() + ")"));
                } else {
                    ipRules.add(valid.value());
                }
            }
        }

        List<VirtualNetworkRuleInput> rawVnetRules = input.virtualNetworkRules();
        if (rawVnetRules.size() > limits.maxVirtualNetworkRules()) {
            violations.add(tooMany("virtualNetworkRules", rawVnetRules.size(), limits.maxVirtualNetworkRules(),
                    "virtual network rules", ViolationCode.TOO_MANY_VIRTUAL_NETWORK_RULES));
        }
        List<VirtualNetworkRule> vnetRules = new ArrayList<>();
        Map<SubnetId, Integer> seenSubnets = new HashMap<>();
        for (int i = 0; i < rawVnetRules.size(); i++) {
            String field = "virtualNetworkRules[" + i + "].id";
            Validated<VirtualNetworkRule> rule = virtualNetworkRule(field, rawVnetRules.get(i), networks);
            violations.addAll(rule.violations());
            if (rule instanceof Validated.Valid<VirtualNetworkRule> valid) {
                Integer first = seenSubnets.putIfAbsent(valid.value().subnetId(), i);
                if (first != null) {
                    String raw = rawVnetRules.get(i).id();
                    violations.add(new Violation(field, raw, ViolationCode.DUPLICATE_VIRTUAL_NETWORK_RULE, "'" + raw
                            + "' names the same subnet as virtualNetworkRules[" + first + "] (ids are case-insensitive)"));
                } else {
                    vnetRules.add(valid.value());
                }
            }
        }

        if (!violations.isEmpty()) {
            return Validated.invalid(violations);
        }
        return Validated.valid(new NetworkRuleSet(defaultAction, bypass, ipRules, vnetRules));
    }

    /**
     * Adds one IP rule (idempotent: a rule already there leaves the set unchanged).
     *
     * @param value the rule as received; violations name the field {@code value}
     */
    public Validated<NetworkRuleSet> addIpRule(NetworkRuleSet current, String value) {
        Validated<IpRule> validated = ipRule("value", value);
        if (!(validated instanceof Validated.Valid<IpRule> valid)) {
            return Validated.invalid(validated.violations());
        }
        IpRule rule = valid.value();
        if (current.ipRules().stream().anyMatch(r -> r.value().equals(rule.value()))) {
            return Validated.valid(current);
        }
        if (current.ipRules().size() + 1 > limits.maxIpRules()) {
            return Validated.invalid(List.of(tooMany("ipRules", current.ipRules().size() + 1, limits.maxIpRules(),
                    "IP rules", ViolationCode.TOO_MANY_IP_RULES)));
        }
        List<IpRule> ipRules = new ArrayList<>(current.ipRules());
        ipRules.add(rule);
        return Validated.valid(new NetworkRuleSet(current.defaultAction(), current.bypass(), ipRules,
                current.virtualNetworkRules()));
    }

    /** Removes one IP rule, matched by canonical value ({@code 1.2.3.4} and {@code 1.2.3.4 } are one rule); idempotent. */
    public NetworkRuleSet removeIpRule(NetworkRuleSet current, String value) {
        String canonical = Ipv4.parse(value).map(IPAddress::toCanonicalString)
                .orElse(value == null ? "" : value.strip());
        List<IpRule> kept = current.ipRules().stream().filter(r -> !r.value().equals(canonical)).toList();
        return kept.size() == current.ipRules().size() ? current
                : new NetworkRuleSet(current.defaultAction(), current.bypass(), kept, current.virtualNetworkRules());
    }

    /**
     * Adds one virtual network rule. Idempotent: naming a subnet that already has a rule leaves the set
     * unchanged, except that a different {@code ignoreMissingVnetServiceEndpoint} replaces the old flag (ARM
     * identifies the rule by its subnet). Violations name the field {@code rule.id}.
     */
    public Validated<NetworkRuleSet> addVirtualNetworkRule(NetworkRuleSet current, VirtualNetworkRuleInput input,
            VirtualNetworks networks) {
        Validated<VirtualNetworkRule> validated = virtualNetworkRule("rule.id", input, networks);
        if (!(validated instanceof Validated.Valid<VirtualNetworkRule> valid)) {
            return Validated.invalid(validated.violations());
        }
        VirtualNetworkRule rule = valid.value();
        List<VirtualNetworkRule> rules = new ArrayList<>(current.virtualNetworkRules());
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).subnetId().equals(rule.subnetId())) {
                if (rules.get(i).ignoreMissingVnetServiceEndpoint() == rule.ignoreMissingVnetServiceEndpoint()) {
                    return Validated.valid(current);
                }
                rules.set(i, rule);
                return Validated.valid(new NetworkRuleSet(current.defaultAction(), current.bypass(), current.ipRules(), rules));
            }
        }
        if (rules.size() + 1 > limits.maxVirtualNetworkRules()) {
            return Validated.invalid(List.of(tooMany("virtualNetworkRules", rules.size() + 1,
                    limits.maxVirtualNetworkRules(), "virtual network rules", ViolationCode.TOO_MANY_VIRTUAL_NETWORK_RULES)));
        }
        rules.add(rule);
        return Validated.valid(new NetworkRuleSet(current.defaultAction(), current.bypass(), current.ipRules(), rules));
    }

    /** Removes the rule naming that subnet (case-insensitive); idempotent, and a malformed id removes nothing. */
    public NetworkRuleSet removeVirtualNetworkRule(NetworkRuleSet current, String subnetId) {
        Optional<SubnetId> id = SubnetId.parse(subnetId);
        if (id.isEmpty()) {
            return current;
        }
        List<VirtualNetworkRule> kept = current.virtualNetworkRules().stream()
                .filter(r -> !r.subnetId().equals(id.get())).toList();
        return kept.size() == current.virtualNetworkRules().size() ? current
                : new NetworkRuleSet(current.defaultAction(), current.bypass(), current.ipRules(), kept);
    }

    /**
     * Validates one IP rule value: IPv4 only; an address or a range with clear host bits; no /31 or /32 range;
     * no overlap with a reserved block.
     */
    public static Validated<IpRule> ipRule(String field, String value) {
        List<Violation> violations = new ArrayList<>(1);
        IPAddress address = AddressChecks.ipv4(field, value, violations);
        if (address == null) {
            return Validated.invalid(violations);
        }
        Integer prefix = address.getNetworkPrefixLength();
        if (prefix != null && prefix >= 31) {
            String example = address.getLower().withoutPrefixLength().toCanonicalString();
            return Validated.invalid(List.of(new Violation(field, value, ViolationCode.RANGE_TOO_SMALL, "'" + value
                    + "': /31 and /32 ranges are not supported, use an individual IP address rule (e.g. `" + example + "`)")));
        }
        if (!AddressChecks.hostBitsClear(field, value, address, violations)) {
            return Validated.invalid(violations);
        }
        List<ReservedBlocks.Block> reserved = ReservedBlocks.overlapping(address);
        if (!reserved.isEmpty()) {
            return Validated.invalid(List.of(new Violation(field, value, ViolationCode.NOT_PUBLIC, "'" + value
                    + "' overlaps " + reserved.stream().map(Object::toString).collect(Collectors.joining(", "))
                    + ": IP rules take public addresses only"
                    + (prefix != null && prefix == 0 ? "; to allow every address use defaultAction: Allow" : ""))));
        }
        return Validated.valid(IpRule.of(address));
    }

    /**
     * Validates one virtual network rule: a well-formed subnet id naming an existing subnet with the
     * {@code Microsoft.KeyVault} endpoint, unless {@code ignoreMissingVnetServiceEndpoint} is set.
     */
    public static Validated<VirtualNetworkRule> virtualNetworkRule(String field, VirtualNetworkRuleInput input,
            VirtualNetworks networks) {
        String raw = input == null ? null : input.id();
        if (raw == null || raw.isBlank()) {
            return Validated.invalid(List.of(new Violation(field, raw, ViolationCode.REQUIRED,
                    field + " is required: the full id of a subnet, " + SubnetId.FORMAT)));
        }
        Optional<SubnetId> parsed = SubnetId.parse(raw);
        if (parsed.isEmpty()) {
            return Validated.invalid(List.of(new Violation(field, raw, ViolationCode.MALFORMED_SUBNET_ID,
                    "'" + raw + "' is not a subnet id: expected " + SubnetId.FORMAT)));
        }
        SubnetId id = parsed.get();
        if (!input.ignoreMissingVnetServiceEndpoint()) {
            Optional<Subnet> subnet = networks.findSubnet(id);
            if (subnet.isEmpty()) {
                return Validated.invalid(List.of(new Violation(field, raw, ViolationCode.SUBNET_NOT_FOUND, "subnet '" + raw
                        + "' does not exist: create it with the " + ServiceEndpoints.KEY_VAULT
                        + " service endpoint, or set ignoreMissingVnetServiceEndpoint to keep the rule until it exists")));
            }
            if (!subnet.get().hasKeyVaultEndpoint()) {
                return Validated.invalid(List.of(new Violation(field, raw, ViolationCode.SERVICE_ENDPOINT_MISSING, "subnet '"
                        + raw + "' does not have the " + ServiceEndpoints.KEY_VAULT + " service endpoint enabled: enable it,"
                        + " or set ignoreMissingVnetServiceEndpoint to keep the rule until it is enabled")));
            }
        }
        return Validated.valid(new VirtualNetworkRule(id, input.ignoreMissingVnetServiceEndpoint()));
    }

    private static DefaultAction defaultAction(String raw, List<Violation> violations) {
        if (raw == null || raw.isBlank()) {
            return DefaultAction.ALLOW; // ARM: a networkAcls without defaultAction allows
        }
        Optional<DefaultAction> parsed = DefaultAction.fromArm(raw);
        if (parsed.isEmpty()) {
            violations.add(new Violation("defaultAction", raw, ViolationCode.INVALID_DEFAULT_ACTION,
                    "'" + raw + "' is not a defaultAction: allowed values are Allow and Deny (in any case)"));
        }
        return parsed.orElse(null);
    }

    private static Bypass bypass(String raw, List<Violation> violations) {
        if (raw == null || raw.isBlank()) {
            return Bypass.ARM_DEFAULT;
        }
        Optional<Bypass> parsed = Bypass.fromArm(raw);
        if (parsed.isEmpty()) {
            violations.add(new Violation("bypass", raw, ViolationCode.INVALID_BYPASS,
                    "'" + raw + "' is not a bypass value: allowed values are AzureServices and None (in any case)"));
        }
        return parsed.orElse(null);
    }

    private static Violation tooMany(String field, int count, int limit, String what, ViolationCode code) {
        return new Violation(field, Integer.toString(count), code,
                count + " " + what + " exceed the limit of " + limit + " " + what + " per vault");
    }
}
