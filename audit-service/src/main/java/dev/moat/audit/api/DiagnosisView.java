package dev.moat.audit.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.moat.audit.diagnosis.Diagnosis;
import dev.moat.audit.diagnosis.Remedy;

/** A diagnosis as the API shows it. */
public record DiagnosisView(String vault, Instant from, Instant to, long firewallDenials,
        Map<String, Long> denialsByLayer, List<ClientView> clients, List<SubnetView> subnets, boolean truncated) {

    public record RemedyView(String kind, String rule, String description) {
        static RemedyView of(Remedy remedy) {
            return new RemedyView(remedy.kind().label(), remedy.rule(), remedy.description());
        }
    }

    public record ClientView(String clientAddress, long count, Instant firstSeen, Instant lastSeen,
            List<String> operations, List<String> subnetIds, RemedyView remedy) {
    }

    public record SubnetView(String subnetId, long count, Instant firstSeen, Instant lastSeen, List<String> operations,
            List<String> clientAddresses, RemedyView remedy) {
    }

    static DiagnosisView of(Diagnosis d) {
        return new DiagnosisView(d.vault(), d.from(), d.to(), d.firewallDenials(), new TreeMap<>(d.denialsByLayer()),
                d.clients().stream().map(c -> new ClientView(c.clientAddress(), c.count(), c.firstSeen(), c.lastSeen(),
                        c.operations(), c.subnetIds(), RemedyView.of(c.remedy()))).toList(),
                d.subnets().stream().map(s -> new SubnetView(s.subnetId(), s.count(), s.firstSeen(), s.lastSeen(),
                        s.operations(), s.clientAddresses(), RemedyView.of(s.remedy()))).toList(),
                d.truncated());
    }
}
