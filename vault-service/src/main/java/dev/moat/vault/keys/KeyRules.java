package dev.moat.vault.keys;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Azure Key Vault's limits on keys, each refused with a 400 {@code BadParameter} naming the offending value and the
 * rule: names {@code ^[0-9a-zA-Z-]{1,127}$} (unique per vault whatever their case, shared with certificates), versions
 * of 32 hexadecimal characters, at most 15 tags (names 1–512 characters, values at most 256), {@code exp} after
 * {@code nbf}, RSA sizes 2048, 3072 and 4096.
 */
public final class KeyRules {

    public static final Pattern NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");
    public static final int MAX_TAGS = 15;
    public static final int MAX_TAG_NAME = 512;
    public static final int MAX_TAG_VALUE = 256;
    public static final java.util.List<Integer> RSA_SIZES = java.util.List.of(2048, 3072, 4096);
    private static final Pattern VERSION = Pattern.compile("[0-9a-fA-F]{32}");

    private KeyRules() {
    }

    /** @return the name's case-insensitive key (lower case) */
    public static String nameKey(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw KeysException.badParameter("Invalid " + what + " name '" + shown(name) + "': a " + what + " name is "
                    + "1 to 127 characters, each a letter, a digit or '-' (^[0-9a-zA-Z-]{1,127}$).");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** @return the version in its stored (lower-case) form */
    public static String version(String version, String what) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw KeysException.badParameter("Invalid " + what + " version '" + shown(version) + "': a " + what
                    + " version is 32 hexadecimal characters.");
        }
        return version.toLowerCase(Locale.ROOT);
    }

    public static void tags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw KeysException.badParameter("The request has " + tags.size() + " tags; at most " + MAX_TAGS
                    + " tags are allowed.");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().length() > MAX_TAG_NAME) {
                throw KeysException.badParameter("Tag name '" + shown(tag.getKey()) + "' is " + tag.getKey().length()
                        + " characters; a tag name is 1 to " + MAX_TAG_NAME + " characters.");
            }
            if (tag.getValue() == null || tag.getValue().length() > MAX_TAG_VALUE) {
                throw KeysException.badParameter("The value of tag '" + shown(tag.getKey()) + "' must be a string of "
                        + "at most " + MAX_TAG_VALUE + " characters.");
            }
        }
    }

    public static void validityPeriod(Long notBefore, Long expires) {
        if (notBefore != null && expires != null && expires <= notBefore) {
            throw KeysException.badParameter("attributes.exp (" + expires + ") is not after attributes.nbf ("
                    + notBefore + "): an object must expire after it becomes valid.");
        }
    }

    public static int rsaSize(Integer keySize) {
        int size = keySize == null || keySize == 0 ? 2048 : keySize;
        if (!RSA_SIZES.contains(size)) {
            throw KeysException.badParameter("key_size " + size + " is not supported: an RSA key is 2048, 3072 or "
                    + "4096 bits.");
        }
        return size;
    }

    /** A value shown in a message, cut short when long. */
    static String shown(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 140 ? value : value.substring(0, 140) + "…";
    }
}
