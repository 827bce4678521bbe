package dev.moat.vault.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.moat.vault.objects.ObjectNames;
import dev.moat.vault.objects.VaultObjectException;

/**
 * Azure Key Vault's limits on secrets, each refused with a 400 {@code BadParameter} that names the offending value
 * (never a secret's value: only its size) and the rule.
 * <ul>
 * <li>names: {@code ^[0-9a-zA-Z-]{1,127}$}, unique per vault whatever their case;</li>
 * <li>values: at most 25,600 bytes once encoded in UTF-8. Azure documents "a maximum size of 25k bytes" and stores
 * values as octets; 25 KiB is what clients measure against it;</li>
 * <li>{@code contentType}: at most 255 characters;</li>
 * <li>tags: at most 15, names at most 512 characters, values at most 256 (Azure's tag limits);</li>
 * <li>{@code exp} after {@code nbf} when both are set.</li>
 * </ul>
 */
public final class SecretRules {

    public static final int MAX_VALUE_BYTES = 25 * 1024;
    public static final int MAX_CONTENT_TYPE = 255;
    public static final int MAX_TAGS = 15;
    public static final int MAX_TAG_NAME = 512;
    public static final int MAX_TAG_VALUE = 256;

    private SecretRules() {
    }

    /** @return the name's case-insensitive key (lower case) */
    public static String nameKey(String name) {
        return ObjectNames.nameKey(name, "secret");
    }

    /** @return the version in its stored (lower-case) form */
    public static String version(String version) {
        return ObjectNames.version(version, "secret");
    }

    /** @return the value's UTF-8 bytes */
    public static byte[] value(String value) {
        if (value == null) {
            throw VaultObjectException.badParameter("The request has no 'value': setting a secret needs its value "
                    + "(a string).");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_VALUE_BYTES) {
            throw VaultObjectException.badParameter("The secret value is " + bytes.length + " bytes in UTF-8; a secret "
                    + "value is at most " + MAX_VALUE_BYTES + " bytes (25 KB).");
        }
        return bytes;
    }

    public static void contentType(String contentType) {
        if (contentType != null && contentType.length() > MAX_CONTENT_TYPE) {
            throw VaultObjectException.badParameter("contentType '" + shown(contentType) + "' is " + contentType.length()
                    + " characters; a content type is at most " + MAX_CONTENT_TYPE + " characters.");
        }
    }

    public static void tags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw VaultObjectException.badParameter("The request has " + tags.size() + " tags; a secret has at most "
                    + MAX_TAGS + " tags.");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().length() > MAX_TAG_NAME) {
                throw VaultObjectException.badParameter("Tag name '" + shown(tag.getKey()) + "' is "
                        + tag.getKey().length() + " characters; a tag name is 1 to " + MAX_TAG_NAME + " characters.");
            }
            if (tag.getValue().length() > MAX_TAG_VALUE) {
                throw VaultObjectException.badParameter("The value of tag '" + shown(tag.getKey()) + "' is "
                        + tag.getValue().length() + " characters; a tag value is at most " + MAX_TAG_VALUE
                        + " characters.");
            }
        }
    }

    public static void validityPeriod(Long notBefore, Long expires) {
        if (notBefore != null && expires != null && expires <= notBefore) {
            throw VaultObjectException.badParameter("attributes.exp (" + expires + ") is not after attributes.nbf ("
                    + notBefore + "): a secret must expire after it becomes valid.");
        }
    }

    static String shown(String value) {
        return ObjectNames.shown(value);
    }
}
