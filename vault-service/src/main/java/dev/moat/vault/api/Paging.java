package dev.moat.vault.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.moat.vault.objects.VaultObjectException;

/**
 * List paging as Key Vault does it: {@code maxresults} from 1 to 25 (default 25), and an opaque {@code $skiptoken} in
 * the {@code nextLink} (base64url of where the next page starts).
 */
final class Paging {

    static final int MAX_RESULTS = 25;
    private static final String PREFIX = "moat1:";

    private Paging() {
    }

    static int maxResults(String value) {
        if (value == null || value.isBlank()) {
            return MAX_RESULTS;
        }
        try {
            int max = Integer.parseInt(value.strip());
            if (max >= 1 && max <= MAX_RESULTS) {
                return max;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw VaultObjectException.badParameter("Invalid maxresults '" + value + "': it is an integer from 1 to "
                + MAX_RESULTS + ".");
    }

    static String token(String after) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + after).getBytes(StandardCharsets.UTF_8));
    }

    /** @return where the page starts, or null for the first page */
    static String after(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                return decoded.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw VaultObjectException.badParameter("Invalid $skiptoken '" + (token.length() > 80 ? token.substring(0, 80)
                + "…" : token) + "': use the nextLink of the previous page as it is.");
    }
}
