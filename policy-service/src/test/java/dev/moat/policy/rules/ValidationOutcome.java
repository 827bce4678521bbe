package dev.moat.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;

/** What a row of a validation table expects of the {@link Validated} result: accepted, or refused for one reason. */
@FunctionalInterface
interface ValidationOutcome<T> {

    void verify(Validated<T> result);

    /** No violation, and the validated value passes {@code check}. */
    static <T> ValidationOutcome<T> accepted(Consumer<T> check) {
        return result -> {
            assertThat(result.violations()).isEmpty();
            check.accept(result.orElseThrow());
        };
    }

    /**
     * Exactly one violation, of that code, on that field, whose message names the value (or the field when the value
     * is empty) and mentions the rest; and no value.
     */
    static <T> ValidationOutcome<T> refused(ViolationCode code, String field, String value, String... mentions) {
        return result -> {
            assertThat(result).isInstanceOf(Validated.Invalid.class);
            assertThat(result.isValid()).isFalse();
            assertThat(result.violations()).singleElement().satisfies(violation -> {
                assertThat(violation.code()).isEqualTo(code);
                assertThat(violation.field()).isEqualTo(field);
                assertThat(violation.value()).isEqualTo(value);
                assertThat(violation.message()).contains(value == null || value.isBlank() ? field : value)
                        .contains(mentions);
            });
            assertThatThrownBy(result::orElseThrow).isInstanceOf(InvalidInputException.class);
        };
    }
}
