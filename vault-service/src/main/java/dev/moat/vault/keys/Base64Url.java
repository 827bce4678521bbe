package dev.moat.vault.keys;

import java.util.Base64;

import dev.moat.vault.objects.VaultObjectException;

/** Key Vault's byte fields: base64url without padding on the way out; padding and standard base64 accepted in. */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** @throws VaultObjectException 400 naming the field when the text is not base64url */
    public static byte[] decode(String text, String field) {
        if (text == null) {
            throw VaultObjectException.badParameter("'" + field + "' is missing: it is base64url-encoded bytes.");
        }
        String normalised = text.strip().replace('+', '-').replace('/', '_');
        int end = normalised.length();
        while (end > 0 && normalised.charAt(end - 1) == '=') {
            end--;
        }
        try {
            return Base64.getUrlDecoder().decode(normalised.substring(0, end));
        } catch (IllegalArgumentException e) {
            throw VaultObjectException.badParameter("'" + field + "' is not base64url: " + e.getMessage() + ".");
        }
    }
}
