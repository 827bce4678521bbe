package dev.moat.policy.bench;

import dev.moat.policy.decision.CheckInput;
import dev.moat.policy.decision.Decision;
import dev.moat.policy.decision.PolicySnapshot;
import dev.moat.policy.decision.Reason;
import dev.moat.netaddr.Ipv4;
import dev.moat.policy.network.ServiceEndpoints;
import dev.moat.policy.network.Subnet;
import dev.moat.policy.network.VirtualNetwork;
import dev.moat.policy.network.VirtualNetworkId;
import dev.moat.policy.network.VirtualNetworks;
import dev.moat.policy.rules.Bypass;
import dev.moat.policy.rules.DefaultAction;
import dev.moat.policy.rules.IpRule;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.policy.rules.VirtualNetworkRule;
import dev.moat.policy.trust.TrustedServiceCatalog;
import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * One in-process decision for a vault with 127 IP rules and 127 virtual network rules, in a snapshot that also
 * holds 999 other vaults and 630 Key Vault-enabled subnets. Each benchmark cycles through 1024 different requests
 * of its kind, so that no single address stays hot in the branch predictor.
 */
public class PolicySnapshotBenchmark extends SampledBenchmark {

    private static final int RULES = 127;
    private static final String VAULT = "bench-vault";

    private PolicySnapshot snapshot;
    private CheckInput[] ipRuleHits;
    private CheckInput[] subnetRuleHits;
    private CheckInput[] namedSubnetHits;
    private CheckInput[] trustedServices;
    private CheckInput[] denials;

    @Setup
    public void setUp() {
        Random random = new Random(42);

        // 63 networks of 10 subnets each, all with the Key Vault endpoint; the vault names 127 of them.
        List<VirtualNetwork> networks = new ArrayList<>();
        List<Subnet> allSubnets = new ArrayList<>();
        for (int n = 0; n < 63; n++) {
            VirtualNetworkId id = VirtualNetworkId.parse(vnetId("vnet-" + n)).orElseThrow();
            List<Subnet> subnets = new ArrayList<>();
            for (int s = 0; s < 10; s++) {
                subnets.add(new Subnet(id.subnet("subnet-" + s).orElseThrow(), ip("10." + n + "." + s + ".0/24"),
                        Set.of(ServiceEndpoints.KEY_VAULT)));
            }
            networks.add(new VirtualNetwork(id, List.of(ip("10." + n + ".0.0/16")), subnets));
            allSubnets.addAll(subnets);
        }
        List<Subnet> named = allSubnets.subList(0, RULES);

        // IP rules: individual addresses and /16 to /28 ranges, alternately.
        List<IpRule> ipRules = new ArrayList<>();
        for (int i = 0; i < RULES; i++) {
            ipRules.add(IpRule.of(i % 2 == 0 ? ip("52." + i + ".7.9") : ip("20." + i + ".0.0/" + (16 + i % 13))));
        }
        List<VirtualNetworkRule> subnetRules = named.stream().map(s -> new VirtualNetworkRule(s.id(), false)).toList();

        Map<String, Optional<NetworkRuleSet>> vaults = new HashMap<>();
        vaults.put(VAULT, Optional.of(new NetworkRuleSet(DefaultAction.DENY, Bypass.AZURE_SERVICES, ipRules, subnetRules)));
        for (int v = 1; v < 1000; v++) {
            vaults.put("vault-" + v, Optional.of(new NetworkRuleSet(DefaultAction.DENY, Bypass.NONE,
                    ipRules.subList(v % 100, v % 100 + 10), subnetRules.subList(v % 100, v % 100 + 2))));
        }
        snapshot = PolicySnapshot.build(vaults, VirtualNetworks.of(networks), TrustedServiceCatalog.defaults());

        List<String> trustedIds = TrustedServiceCatalog.defaults().services().stream()
                .map(s -> s.applicationId().toString()).toList();
        ipRuleHits = samples(Reason.IP_RULE, i -> check(addressIn(random, ipRules.get(random.nextInt(RULES)).address()), null, null));
        subnetRuleHits = samples(Reason.VIRTUAL_NETWORK_RULE,
                i -> check(addressIn(random, named.get(random.nextInt(RULES)).addressPrefix()), null, null));
        namedSubnetHits = samples(Reason.VIRTUAL_NETWORK_RULE,
                i -> check(address(0xC6336400 | random.nextInt(256)), named.get(random.nextInt(RULES)).id().value(), null));
        trustedServices = samples(Reason.TRUSTED_SERVICE,
                i -> check(address(0xC6336400 | random.nextInt(256)), null, trustedIds.get(random.nextInt(trustedIds.size()))));
        // 198.51.0.0/16 holds no rule and no subnet.
        denials = samples(Reason.DENIED, i -> check(address(0xC6330000 | random.nextInt(1 << 16)), null, null));
    }

    /** A public address inside a random IP rule: the allowed-by-IP-rule path. */
    @Benchmark
    public Decision ipRuleHit() {
        return snapshot.decide(ipRuleHits[next()]);
    }

    /** A private address inside a named subnet, resolved by longest prefix: the virtual-network-rule path. */
    @Benchmark
    public Decision subnetRuleHit() {
        return snapshot.decide(subnetRuleHits[next()]);
    }

    /** The subnet named by a trusted edge (a case-insensitive id lookup): the other virtual-network-rule path. */
    @Benchmark
    public Decision namedSubnetHit() {
        return snapshot.decide(namedSubnetHits[next()]);
    }

    /** A trusted service's application id with bypass AzureServices. */
    @Benchmark
    public Decision trustedServiceHit() {
        return snapshot.decide(trustedServices[next()]);
    }

    /** A public address outside every rule and subnet: every step runs, then the denial is built. */
    @Benchmark
    public Decision deny() {
        return snapshot.decide(denials[next()]);
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[] {PolicySnapshotBenchmark.class.getSimpleName()});
    }

    /** Samples of one kind; fails fast if any does not lead to the reason the benchmark claims to measure. */
    private CheckInput[] samples(Reason expected, IntFunction<CheckInput> sample) {
        CheckInput[] checks = new CheckInput[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            checks[i] = sample.apply(i);
            Reason actual = snapshot.decide(checks[i]).reason();
            if (actual != expected) {
                throw new IllegalStateException(checks[i] + " gives " + actual + ", not " + expected);
            }
        }
        return checks;
    }

    private static CheckInput check(IPAddress client, String subnetId, String applicationId) {
        return new CheckInput(VAULT, client, subnetId, applicationId);
    }

    private static IPAddress addressIn(Random random, IPAddress range) {
        long first = Ipv4.first(range);
        return address((int) (first + (long) (random.nextDouble() * (Ipv4.last(range) - first + 1))));
    }

    private static IPAddress address(int value) {
        return new IPv4Address(value);
    }

    private static IPAddress ip(String text) {
        return Ipv4.parse(text).orElseThrow();
    }

    private static String vnetId(String name) {
        return "/subscriptions/5c1b4a0e-7d1f-4b8e-9a3c-2f6d8e0b1a7c/resourceGroups/rg-bench/providers/Microsoft.Network"
                + "/virtualNetworks/" + name;
    }
}
