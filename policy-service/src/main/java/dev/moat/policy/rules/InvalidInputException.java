package dev.moat.policy.rules;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link Validated#orElseThrow()}; carries every violation so the caller can report them all. */
public final class InvalidInputException extends RuntimeException {

    private final transient List<Violation> violations;

    public InvalidInputException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
