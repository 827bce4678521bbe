package dev.moat.policy.decision;

/**
 * Comparison of ARM ids ignoring ASCII case, without allocating. ARM ids are ASCII (names are restricted to
 * letters, digits and a few punctuation marks), so folding only A-Z is exactly ARM's case-insensitivity; a
 * non-ASCII character never matches.
 */
final class AsciiCase {

    private AsciiCase() {
    }

    /** A hash of the text as if its ASCII letters were lower case. */
    static int hash(String text) {
        int h = 0;
        for (int i = 0; i < text.length(); i++) {
            h = 31 * h + lower(text.charAt(i));
        }
        return h ^ (h >>> 16);
    }

    /** Whether {@code text} equals {@code lowerCase} (which is already lower case) ignoring ASCII case. */
    static boolean equalsLowerCase(String text, String lowerCase) {
        if (text.length() != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (lower(text.charAt(i)) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
