package dev.moat.policy.rules;

import java.util.Arrays;
import java.util.Optional;

/** ARM {@code networkAcls.bypass}: whether trusted Microsoft services pass the firewall. */
public enum Bypass {
    AZURE_SERVICES("AzureServices"),
    NONE("None");

    /** ARM's default when {@code bypass} is not given. */
    public static final Bypass ARM_DEFAULT = AZURE_SERVICES;

    private final String armName;

    Bypass(String armName) {
        this.armName = armName;
    }

    /** The ARM spelling, {@code AzureServices} or {@code None}. */
    public String armName() {
        return armName;
    }

    /** Parses an ARM value case-insensitively ({@code azureservices} is {@code AzureServices}). */
    public static Optional<Bypass> fromArm(String value) {
        return value == null ? Optional.empty()
                : Arrays.stream(values()).filter(v -> v.armName.equalsIgnoreCase(value.strip())).findFirst();
    }
}
