package dev.moat.policy.rules;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating raw input: a value, or every violation found and no value at all. There is no
 * partial result, so a caller cannot apply half of a rejected update.
 */
public sealed interface Validated<T> permits Validated.Valid, Validated.Invalid {

    /** The input was valid. */
    record Valid<T>(T value) implements Validated<T> {
        public Valid {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public List<Violation> violations() {
            return List.of();
        }
    }

    /** The input broke at least one rule. */
    record Invalid<T>(List<Violation> violations) implements Validated<T> {
        public Invalid {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one violation");
            }
        }
    }

    /** Every violation; empty when valid. */
    List<Violation> violations();

    default boolean isValid() {
        return this instanceof Valid;
    }

    /** The value; {@link InvalidInputException} with the violations when invalid. */
    default T orElseThrow() {
        if (this instanceof Valid<T> valid) {
            return valid.value();
        }
        throw new InvalidInputException(violations());
    }

    static <T> Validated<T> valid(T value) {
        return new Valid<>(value);
    }

    static <T> Validated<T> invalid(List<Violation> violations) {
        return new Invalid<>(violations);
    }
}
