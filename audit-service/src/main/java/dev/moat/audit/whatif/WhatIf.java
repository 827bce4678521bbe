package dev.moat.audit.whatif;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sorts the origins a vault has seen by what a proposed rule set would do to them: newly denied (admitted now,
 * refused then), newly allowed (refused now, admitted then), or unchanged. Origins that differ only by caller are
 * shown as one entry with every caller, since the firewall decides on the address, the subnet and the service.
 */
public final class WhatIf {

    /** One (object id, application id) pair that called from an origin. */
    public record Caller(String objectId, String applicationId) {
    }

    /**
     * Requests whose fate the proposed rules change, from one address and subnet.
     *
     * @param before how the enforced rules decided them (with the rule that admitted them)
     * @param after  how the proposed rules would (with the rule that would admit them)
     */
    public record Entry(String clientAddress, String subnetId, List<Caller> callers, String trustedService,
            long requests, Instant lastSeen, Set<String> operations, Verdict before, Verdict after) {
    }

    /**
     * @param unchanged origins whose fate stays the same
     * @param origins   every distinct origin of the window
     */
    public record Result(List<Entry> newlyDenied, List<Entry> newlyAllowed, long unchanged, long origins) {
    }

    private WhatIf() {
    }

    /**
     * @param seen  the origins and how the enforced rules decided them
     * @param after the proposed rules' verdict for each, in the same order
     */
    public static Result compare(List<SeenOrigin> seen, List<Verdict> after) {
        if (seen.size() != after.size()) {
            throw new IllegalArgumentException(seen.size() + " origins but " + after.size() + " verdicts");
        }
        Map<Group, Builder> denied = new LinkedHashMap<>();
        Map<Group, Builder> allowed = new LinkedHashMap<>();
        long unchanged = 0;
        for (int i = 0; i < seen.size(); i++) {
            SeenOrigin origin = seen.get(i);
            Verdict now = after.get(i);
            if (origin.before().allowed() == now.allowed()) {
                unchanged++;
                continue;
            }
            Map<Group, Builder> into = now.allowed() ? allowed : denied;
            Origin o = origin.origin();
            String trusted = o.trustedService() != null ? o.trustedService() : now.trustedService();
            into.computeIfAbsent(new Group(o.clientAddress(), o.subnetId(), trusted, origin.before(), now),
                    g -> new Builder()).add(origin);
        }
        return new Result(entries(denied), entries(allowed), unchanged, seen.size());
    }

    private static List<Entry> entries(Map<Group, Builder> groups) {
        List<Entry> entries = new ArrayList<>();
        groups.forEach((group, b) -> entries.add(new Entry(group.clientAddress(), group.subnetId(),
                List.copyOf(b.callers), group.trustedService(), b.requests, b.lastSeen, b.operations,
                group.before(), group.after())));
        entries.sort(Comparator.comparingLong(Entry::requests).reversed()
                .thenComparing(e -> Objects.toString(e.clientAddress(), "")));
        return entries;
    }

    private record Group(String clientAddress, String subnetId, String trustedService, Verdict before, Verdict after) {
    }

    private static final class Builder {
        final Set<Caller> callers = new LinkedHashSet<>();
        final Set<String> operations = new TreeSet<>();
        long requests;
        Instant lastSeen;

        void add(SeenOrigin origin) {
            callers.add(new Caller(origin.origin().objectId(), origin.origin().applicationId()));
            operations.addAll(origin.operations());
            requests += origin.requests();
            if (lastSeen == null || origin.lastSeen().isAfter(lastSeen)) {
                lastSeen = origin.lastSeen();
            }
        }
    }
}
