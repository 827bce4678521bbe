package dev.moat.audit.diagnosis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import dev.moat.netaddr.Ipv4;
import dev.moat.netaddr.ReservedBlocks;

/**
 * Turns counted firewall denials into a diagnosis: grouped by client and by subnet, each with the rule that would
 * admit it. Plain Java, so that the rules are tested without a database.
 */
public final class Diagnoser {

    private Diagnoser() {
    }

    public static Diagnosis diagnose(String vault, Instant from, Instant to, List<DenialGroup> groups,
            Map<String, Long> denialsByLayer, boolean truncated) {
        long total = groups.stream().mapToLong(DenialGroup::count).sum();
        return new Diagnosis(vault, from, to, total, denialsByLayer, clients(groups), subnets(groups), truncated);
    }

    private static List<Diagnosis.Client> clients(List<DenialGroup> groups) {
        List<Diagnosis.Client> clients = new ArrayList<>();
        for (List<DenialGroup> same : groupBy(groups, DenialGroup::callerIp).values()) {
            Totals totals = Totals.of(same);
            String address = same.get(0).callerIp();
            // The subnet most of this client's denials came through is the one to open.
            List<DenialGroup> viaSubnets = same.stream().filter(g -> g.subnetId() != null)
                    .sorted(Comparator.comparingLong(DenialGroup::count).reversed()).toList();
            Remedy remedy;
            if (!viaSubnets.isEmpty()) {
                remedy = Remedy.virtualNetworkRule(viaSubnets.get(0).subnetId());
            } else if (address == null) {
                remedy = Remedy.unknownClient();
            } else if (Ipv4.number(address).isEmpty()) {
                remedy = Remedy.useIpv4(address);
            } else if (ReservedBlocks.isPublic(address)) {
                remedy = Remedy.ipRule(address);
            } else {
                remedy = Remedy.virtualNetwork(address);
            }
            clients.add(new Diagnosis.Client(address, totals.count, totals.first, totals.last, totals.operations,
                    viaSubnets.stream().map(DenialGroup::subnetId).toList(), remedy));
        }
        clients.sort(Comparator.comparingLong(Diagnosis.Client::count).reversed()
                .thenComparing(Diagnosis.Client::lastSeen, Comparator.reverseOrder()));
        return clients;
    }

    private static List<Diagnosis.Subnet> subnets(List<DenialGroup> groups) {
        List<DenialGroup> viaSubnets = groups.stream().filter(g -> g.subnetId() != null).toList();
        List<Diagnosis.Subnet> subnets = new ArrayList<>();
        for (List<DenialGroup> same : groupBy(viaSubnets, DenialGroup::subnetId).values()) {
            Totals totals = Totals.of(same);
            String subnetId = same.get(0).subnetId();
            List<String> addresses = same.stream().map(DenialGroup::callerIp).filter(a -> a != null)
                    .distinct().sorted().toList();
            subnets.add(new Diagnosis.Subnet(subnetId, totals.count, totals.first, totals.last, totals.operations,
                    addresses, Remedy.virtualNetworkRule(subnetId)));
        }
        subnets.sort(Comparator.comparingLong(Diagnosis.Subnet::count).reversed()
                .thenComparing(Diagnosis.Subnet::lastSeen, Comparator.reverseOrder()));
        return subnets;
    }

    /** Groups by a key that may be null; subnet ids compare without regard to case, as ARM ids do. */
    private static Map<String, List<DenialGroup>> groupBy(List<DenialGroup> groups, Function<DenialGroup, String> key) {
        Map<String, List<DenialGroup>> grouped = new LinkedHashMap<>();
        for (DenialGroup group : groups) {
            String value = key.apply(group);
            grouped.computeIfAbsent(value == null ? null : value.toLowerCase(java.util.Locale.ROOT),
                    k -> new ArrayList<>()).add(group);
        }
        return grouped;
    }

    private record Totals(long count, Instant first, Instant last, List<String> operations) {
        static Totals of(List<DenialGroup> groups) {
            long count = 0;
            Instant first = null;
            Instant last = null;
            TreeSet<String> operations = new TreeSet<>();
            for (DenialGroup group : groups) {
                count += group.count();
                first = first == null || group.firstSeen().isBefore(first) ? group.firstSeen() : first;
                last = last == null || group.lastSeen().isAfter(last) ? group.lastSeen() : last;
                operations.addAll(group.operations());
            }
            return new Totals(count, first, last, List.copyOf(operations));
        }
    }
}
