package dev.moat.token;

/** Reads the credential of an {@code Authorization: Bearer <token>} header. */
public final class Bearer {

    private static final String SCHEME = "Bearer ";

    private Bearer() {
    }

    /** The token, or null when the header is absent, of another scheme, or carries an empty token. */
    public static String token(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = authorization.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
