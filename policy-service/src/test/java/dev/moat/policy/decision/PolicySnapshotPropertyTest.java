package dev.moat.policy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.netaddr.Ipv4;
import dev.moat.policy.network.ServiceEndpoints;
import dev.moat.policy.network.Subnet;
import dev.moat.policy.network.SubnetId;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The compiled snapshot decides exactly as the plain reference evaluator (reason, matched rule, trusted service,
 * resolved subnet and message) on random worlds: 0 to 127 IP rules drawn from a few crowded public /8s so that
 * rules nest and overlap (and, rarely, unvalidated ones touching private space); virtual networks whose subnets nest across networks and sometimes lack the Key Vault
 * endpoint; virtual network rules naming existing and missing subnets in random case; and requests from inside
 * rules, inside subnets and anywhere at all, sometimes naming their subnet, sometimes from trusted services.
 */
class PolicySnapshotPropertyTest {

    private static final TrustedServiceCatalog CATALOG = TrustedServiceCatalog.defaults();
    private static final List<String> TRUSTED_IDS =
            CATALOG.services().stream().map(s -> s.applicationId().toString()).toList();

    @Property(tries = 300)
    void the_compiled_snapshot_decides_as_the_reference_evaluator(@ForAll("worlds") World world) {
        PolicySnapshot snapshot = PolicySnapshot.build(world.vaults(), world.networks(), CATALOG);
        ReferenceEvaluator reference = new ReferenceEvaluator(world.vaults(), world.networks(), CATALOG);

        for (CheckInput check : world.checks()) {
            assertThat(snapshot.decide(check)).as("%s", check).isEqualTo(reference.decide(check));
        }
    }

    @Property(tries = 100)
    void a_snapshot_updated_in_place_decides_as_one_built_from_scratch(@ForAll("worlds") World world) {
        PolicySnapshot updated = PolicySnapshot.empty(CATALOG).withVault("gone", Optional.empty());
        for (Map.Entry<String, Optional<NetworkRuleSet>> vault : world.vaults().entrySet()) {
            updated = updated.withVault(vault.getKey(), Optional.empty()).withVault(vault.getKey(), vault.getValue());
        }
        updated = updated.withoutVault("gone").withVirtualNetworks(world.networks());
        PolicySnapshot fresh = PolicySnapshot.build(world.vaults(), world.networks(), CATALOG);

        for (CheckInput check : world.checks()) {
            assertThat(updated.decide(check)).as("%s", check).isEqualTo(fresh.decide(check));
        }
        assertThat(updated.knows("gone")).isFalse();
    }

    /** Registered vaults with their rules, the networks, and the requests to decide in that world. */
    record World(Map<String, Optional<NetworkRuleSet>> vaults, VirtualNetworks networks, List<CheckInput> checks) {
    }

    @Provide
    Arbitrary<World> worlds() {
        return networks().flatMap(networks -> {
            List<String> subnetIds = networks.all().stream()
                    .flatMap(n -> n.subnets().stream()).map(s -> s.id().value()).toList();
            return vaults(subnetIds).flatMap(vaults -> checks(vaults, networks, subnetIds).list().ofSize(40)
                    .map(checks -> new World(vaults, networks, checks)));
        });
    }

    // ---- networks: up to 4, each with up to 5 subnets somewhere in 10.0.0.0/14, /16 to /28

    private record SubnetSpec(IPAddress prefix, boolean keyVaultEndpoint) {
    }

    private static Arbitrary<VirtualNetworks> networks() {
        Arbitrary<SubnetSpec> subnet = Combinators.combine(
                        Arbitraries.integers().between(0, (1 << 18) - 1),
                        Arbitraries.integers().between(16, 28),
                        Arbitraries.integers().between(0, 3))
                .as((low, prefix, endpoint) -> new SubnetSpec(block((10 << 24) | low, prefix), endpoint != 0));
        return subnet.list().ofMaxSize(5).list().ofMaxSize(4).map(PolicySnapshotPropertyTest::toNetworks);
    }

    private static VirtualNetworks toNetworks(List<List<SubnetSpec>> specs) {
        List<VirtualNetwork> networks = new ArrayList<>();
        for (int n = 0; n < specs.size(); n++) {
            VirtualNetworkId id = VirtualNetworkId.parse(vnetId("net-" + n)).orElseThrow();
            List<Subnet> subnets = new ArrayList<>();
            for (int s = 0; s < specs.get(n).size(); s++) {
                SubnetSpec spec = specs.get(n).get(s);
                subnets.add(new Subnet(id.subnet("sub-" + s).orElseThrow(), spec.prefix(),
                        spec.keyVaultEndpoint() ? Set.of(ServiceEndpoints.KEY_VAULT) : Set.of()));
            }
            networks.add(new VirtualNetwork(id, List.of(Ipv4.parse("10.0.0.0/8").orElseThrow()), subnets));
        }
        return VirtualNetworks.of(networks);
    }

    // ---- vaults: 1 to 3, one in ten without network rules

    private static Arbitrary<Map<String, Optional<NetworkRuleSet>>> vaults(List<String> subnetIds) {
        Arbitrary<Optional<NetworkRuleSet>> rules = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Optional.<NetworkRuleSet>empty())),
                Tuple.of(9, ruleSets(subnetIds).map(Optional::of)));
        return rules.list().ofMinSize(1).ofMaxSize(3).map(list -> {
            Map<String, Optional<NetworkRuleSet>> vaults = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                vaults.put("vault-" + i, list.get(i));
            }
            return vaults;
        });
    }

    private static Arbitrary<NetworkRuleSet> ruleSets(List<String> subnetIds) {
        Arbitrary<VirtualNetworkRule> vnetRule = Combinators.combine(
                        subnetIds(subnetIds).flatMap(PolicySnapshotPropertyTest::anyCase),
                        Arbitraries.of(true, false))
                .as((id, ignoreMissing) -> new VirtualNetworkRule(SubnetId.parse(id).orElseThrow(), ignoreMissing));
        return Combinators.combine(
                        Arbitraries.frequency(Tuple.of(1, DefaultAction.ALLOW), Tuple.of(7, DefaultAction.DENY)),
                        Arbitraries.of(Bypass.class),
                        ipRules().list().ofMaxSize(127),
                        vnetRule.list().ofMaxSize(127))
                .as(NetworkRuleSet::new);
    }

    /**
     * Public addresses (a quarter of them individual) and ranges /8 to /30 inside a few crowded public /8s; rarely
     * a range that validation would refuse for touching private space, since the decision must not rely on it.
     */
    private static Arbitrary<IpRule> ipRules() {
        Arbitrary<IpRule> notPublic = Arbitraries.of("8.0.0.0/6", "10.0.0.0/9", "100.64.0.0/10")
                .map(v -> IpRule.of(Ipv4.parse(v).orElseThrow()));
        return Arbitraries.frequencyOf(Tuple.of(30, publicIpRules()), Tuple.of(1, notPublic));
    }

    private static Arbitrary<IpRule> publicIpRules() {
        Arbitrary<Integer> address = Combinators.combine(
                        Arbitraries.of(20, 52, 104, 198), Arbitraries.integers().between(0, (1 << 24) - 1))
                .as((octet, rest) -> (octet << 24) | rest);
        Arbitrary<Integer> prefix = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(32)), Tuple.of(3, Arbitraries.integers().between(8, 30)));
        return Combinators.combine(address, prefix)
                .as((value, length) -> IpRule.of(length == 32 ? address(value) : block(value, length)));
    }

    /** Mostly existing subnets, sometimes ones that exist nowhere. */
    private static Arbitrary<String> subnetIds(List<String> existing) {
        Arbitrary<String> missing = Arbitraries.integers().between(0, 2).map(i -> vnetId("nowhere") + "/subnets/s" + i);
        return existing.isEmpty() ? missing
                : Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(existing)), Tuple.of(1, missing));
    }

    // ---- checks

    private static Arbitrary<CheckInput> checks(Map<String, Optional<NetworkRuleSet>> vaults, VirtualNetworks networks,
            List<String> subnetIds) {
        List<IPAddress> interesting = new ArrayList<>();
        vaults.values().forEach(r -> r.ifPresent(rules -> rules.ipRules().forEach(rule -> interesting.add(rule.address()))));
        networks.all().forEach(n -> n.subnets().forEach(s -> interesting.add(s.addressPrefix())));

        List<String> names = new ArrayList<>(vaults.keySet());
        names.add("unknown-vault");
        Arbitrary<String> vault = Arbitraries.of(names).flatMap(PolicySnapshotPropertyTest::anyCase);
        Arbitrary<IPAddress> anywhere = Arbitraries.integers().map(PolicySnapshotPropertyTest::address);
        Arbitrary<IPAddress> ipv6 = Arbitraries.of("2001:db8::1", "::1", "fe80::1").map(a -> Ipv4.parse(a).orElseThrow());
        Arbitrary<IPAddress> client = interesting.isEmpty()
                ? Arbitraries.frequencyOf(Tuple.of(9, anywhere), Tuple.of(1, ipv6))
                : Arbitraries.frequencyOf(
                        Tuple.of(1, anywhere),
                        Tuple.of(1, ipv6),
                        Tuple.of(6, Arbitraries.of(interesting).flatMap(PolicySnapshotPropertyTest::addressIn)));
        Arbitrary<Boolean> behindNat = Arbitraries.of(true, false);
        Arbitrary<String> namedSubnet = subnetIds(subnetIds).flatMap(PolicySnapshotPropertyTest::anyCase).injectNull(0.8);
        Arbitrary<String> caller = Arbitraries.oneOf(
                Arbitraries.of(TRUSTED_IDS).map(id -> id.toUpperCase(Locale.ROOT)),
                Arbitraries.just("a-non-trusted-app")).injectNull(0.5);
        return Combinators.combine(vault, client, namedSubnet, behindNat, caller).as(CheckInput::new);
    }

    private static Arbitrary<IPAddress> addressIn(IPAddress range) {
        return Arbitraries.longs().between(Ipv4.first(range), Ipv4.last(range)).map(v -> address((int) (long) v));
    }

    private static Arbitrary<String> anyCase(String s) {
        return Arbitraries.of(s, s.toLowerCase(Locale.ROOT), s.toUpperCase(Locale.ROOT));
    }

    // ---- addresses

    private static IPAddress address(int value) {
        return new IPv4Address(value);
    }

    private static IPAddress block(int value, int prefixLength) {
        return address(value).setPrefixLength(prefixLength, true).toPrefixBlock();
    }

    private static String vnetId(String name) {
        return "/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/" + name;
    }
}
