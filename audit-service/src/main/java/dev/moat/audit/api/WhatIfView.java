package dev.moat.audit.api;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.moat.audit.whatif.Verdict;
import dev.moat.audit.whatif.WhatIf;

/** The what-if as the API shows it. */
public record WhatIfView(String vault, Instant from, Instant to, List<EntryView> newlyDenied,
        List<EntryView> newlyAllowed, long unchanged, long origins) {

    /** The firewall's answer: its Azure-style type and the rule that admits (null when none). */
    public record VerdictView(boolean isAddressAuthorized, String addressAuthorizationType, String rule) {
        static VerdictView of(Verdict v) {
            return new VerdictView(v.allowed(), v.type().label(), v.rule());
        }
    }

    public record EntryView(String clientAddress, String subnetId, List<WhatIf.Caller> callers,
            String trustedService, long requests, Instant lastSeen, Set<String> operations, VerdictView before,
            VerdictView after) {
        static EntryView of(WhatIf.Entry e) {
            return new EntryView(e.clientAddress(), e.subnetId(), e.callers(), e.trustedService(), e.requests(),
                    e.lastSeen(), e.operations(), VerdictView.of(e.before()), VerdictView.of(e.after()));
        }
    }

    static WhatIfView of(String vault, Instant from, Instant to, WhatIf.Result result) {
        return new WhatIfView(vault, from, to, result.newlyDenied().stream().map(EntryView::of).toList(),
                result.newlyAllowed().stream().map(EntryView::of).toList(), result.unchanged(), result.origins());
    }
}
