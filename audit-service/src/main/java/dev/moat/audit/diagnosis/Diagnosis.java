package dev.moat.audit.diagnosis;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Why a vault's firewall refused requests over a time window, and what would admit them.
 *
 * @param firewallDenials  requests the network rules refused (no rule matched)
 * @param denialsByLayer   every denial of the window by the layer that refused it, for context: a request refused
 *                         by its access policy or for lack of a token is not a firewall problem
 * @param clients          firewall denials grouped by client address, most denied first
 * @param subnets          firewall denials that came through a subnet, grouped by subnet, most denied first
 * @param truncated        true when there were more address and subnet combinations than the service groups
 */
public record Diagnosis(String vault, Instant from, Instant to, long firewallDenials,
        Map<String, Long> denialsByLayer, List<Client> clients, List<Subnet> subnets, boolean truncated) {

    /** Denials of one client address. */
    public record Client(String clientAddress, long count, Instant firstSeen, Instant lastSeen,
            List<String> operations, List<String> subnetIds, Remedy remedy) {
    }

    /** Denials that came through one subnet. */
    public record Subnet(String subnetId, long count, Instant firstSeen, Instant lastSeen, List<String> operations,
            List<String> clientAddresses, Remedy remedy) {
    }
}
