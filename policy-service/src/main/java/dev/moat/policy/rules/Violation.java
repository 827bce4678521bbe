package dev.moat.policy.rules;

import java.util.Objects;

/**
 * One broken rule in an update.
 *
 * @param field   path of the offending field in the request, for example {@code ipRules[3].value}
 * @param value   the offending value as received ({@code null} when it was missing)
 * @param code    which rule it broke
 * @param message one sentence for a human, naming the value and the rule
 */
public record Violation(String field, String value, ViolationCode code, String message) {

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** {@code field: message}, the form used in a gRPC INVALID_ARGUMENT description. */
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
