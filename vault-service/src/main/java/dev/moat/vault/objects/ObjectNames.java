package dev.moat.vault.objects;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** The names and versions of vault objects, each refused with a 400 naming the value and the rule. */
public final class ObjectNames {

    public static final Pattern NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9a-fA-F]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ObjectNames() {
    }

    /** @return the name's case-insensitive key (lower case) */
    public static String nameKey(String name, String noun) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw VaultObjectException.badParameter("Invalid " + noun + " name '" + shown(name) + "': a " + noun
                    + " name is 1 to 127 characters, each a letter, a digit or '-' (^[0-9a-zA-Z-]{1,127}$).");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** @return the version in its stored (lower-case) form */
    public static String version(String version, String noun) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw VaultObjectException.badParameter("Invalid " + noun + " version '" + shown(version) + "': a " + noun
                    + " version is 32 hexadecimal characters.");
        }
        return version.toLowerCase(Locale.ROOT);
    }

    /** A new version: 32 random hexadecimal characters. */
    public static String newVersion() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A value shown in a message, cut short when long. */
    public static String shown(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 140 ? value : value.substring(0, 140) + "…";
    }
}
