package dev.moat.token;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a token must show to be accepted at one place: one of these issuers, one of these audiences.
 *
 * @param issuers tried in order; the first that {@linkplain TrustedIssuer#issued issued} the token's {@code iss} is
 *        the one whose keys must have signed it
 * @param audiences accepted {@code aud} values; the first is the one messages name
 */
public record Expectation(List<TrustedIssuer> issuers, Set<String> audiences) {

    public Expectation {
        issuers = List.copyOf(issuers);
        audiences = Collections.unmodifiableSet(new LinkedHashSet<>(audiences));
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("a token needs an expected audience");
        }
    }

    /** An audience with and without a trailing {@code /}, as clients ask for either. */
    public static Set<String> withAndWithoutSlash(String audience) {
        String bare = audience.endsWith("/") ? audience.substring(0, audience.length() - 1) : audience;
        return new LinkedHashSet<>(List.of(bare, bare + "/"));
    }

    String namedAudience() {
        return audiences.iterator().next();
    }
}
