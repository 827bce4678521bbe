package dev.moat.vault.keys;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.moat.vault.objects.ObjectNames;
import dev.moat.vault.objects.VaultObjectException;

/**
 * Azure Key Vault's limits on keys, each refused with a 400 {@code BadParameter} naming the offending value and the
 * rule: names {@code ^[0-9a-zA-Z-]{1,127}$} (unique per vault whatever their case, shared with certificates), versions
 * of 32 hexadecimal characters, at most 15 tags (names 1–512 characters, values at most 256), {@code exp} after
 * {@code nbf}, RSA sizes 2048, 3072 and 4096.
 */
public final class KeyRules {

    public static final Pattern NAME = ObjectNames.NAME;
    public static final int MAX_TAGS = 15;
    public static final int MAX_TAG_NAME = 512;
    public static final int MAX_TAG_VALUE = 256;
    public static final java.util.List<Integer> RSA_SIZES = java.util.List.of(2048, 3072, 4096);

    private KeyRules() {
    }

    /**
     * The constant of an enum whose wire name ({@code alg}, {@code crv}) is {@code wanted}, exactly; empty when none is,
     * for the caller to refuse naming what it offers.
     */
    static <E extends Enum<E>> Optional<E> named(E[] values, Function<E, String> wireName, String wanted) {
        return Arrays.stream(values).filter(value -> wireName.apply(value).equals(wanted)).findFirst();
    }

    /** @return the name's case-insensitive key (lower case) */
    public static String nameKey(String name, String what) {
        return ObjectNames.nameKey(name, what);
    }

    /** @return the version in its stored (lower-case) form */
    public static String version(String version, String what) {
        return ObjectNames.version(version, what);
    }

    public static void tags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw VaultObjectException.badParameter("The request has " + tags.size() + " tags; at most " + MAX_TAGS
                    + " tags are allowed.");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().length() > MAX_TAG_NAME) {
                throw VaultObjectException.badParameter("Tag name '" + shown(tag.getKey()) + "' is " + tag.getKey().length()
                        + " characters; a tag name is 1 to " + MAX_TAG_NAME + " characters.");
            }
            if (tag.getValue() == null || tag.getValue().length() > MAX_TAG_VALUE) {
                throw VaultObjectException.badParameter("The value of tag '" + shown(tag.getKey()) + "' must be a string of "
                        + "at most " + MAX_TAG_VALUE + " characters.");
            }
        }
    }

    public static void validityPeriod(Long notBefore, Long expires) {
        if (notBefore != null && expires != null && expires <= notBefore) {
            throw VaultObjectException.badParameter("attributes.exp (" + expires + ") is not after attributes.nbf ("
                    + notBefore + "): an object must expire after it becomes valid.");
        }
    }

    public static int rsaSize(Integer keySize) {
        int size = keySize == null || keySize == 0 ? 2048 : keySize;
        if (!RSA_SIZES.contains(size)) {
            throw VaultObjectException.badParameter("key_size " + size + " is not supported: an RSA key is 2048, 3072 or "
                    + "4096 bits.");
        }
        return size;
    }

    static String shown(String value) {
        return ObjectNames.shown(value);
    }
}
