package dev.moat.policy.network;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A full ARM resource id. ARM compares ids case-insensitively (Key Vault itself echoes virtual network rule ids in
 * lower case), so equality does too, within one kind of id; {@link #value()} keeps the names as the user wrote them
 * (with the fixed segments in their canonical spelling) for display.
 */
public abstract sealed class ArmId permits VirtualNetworkId, SubnetId {

    private final String value;
    private final String key;

    ArmId(String value) {
        this.value = value;
        this.key = value.toLowerCase(Locale.ROOT);
    }

    /** The parts of {@code text} (stripped) when it has the whole {@code shape}. */
    static Optional<Matcher> match(Pattern shape, String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = shape.matcher(text.strip());
        return m.matches() ? Optional.of(m) : Optional.empty();
    }

    /** The id for display, names as written. */
    public String value() {
        return value;
    }

    /** The id in lower case: what equality and lookups use. */
    public String key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && key.equals(((ArmId) o).key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
