package dev.moat.policy.rules;

import java.util.Arrays;
import java.util.Optional;

/** ARM {@code networkAcls.defaultAction}: what happens to a request that neither bypass nor any rule admits. */
public enum DefaultAction {
    ALLOW("Allow"),
    DENY("Deny");

    private final String armName;

    DefaultAction(String armName) {
        this.armName = armName;
    }

    /** The ARM spelling, {@code Allow} or {@code Deny}. */
    public String armName() {
        return armName;
    }

    /** Parses an ARM value case-insensitively, as ARM does ({@code deny}, {@code DENY} and {@code Deny} are equal). */
    public static Optional<DefaultAction> fromArm(String value) {
        return value == null ? Optional.empty()
                : Arrays.stream(values()).filter(v -> v.armName.equalsIgnoreCase(value.strip())).findFirst();
    }
}
