package dev.moat.token;

/** The outcome of {@link TokenVerifier#verify}. Never carries the token. */
public sealed interface Verification {

    record Verified(Claims claims) implements Verification {
    }

    /**
     * The token is not accepted.
     *
     * @param reason what is wrong, for the service to choose its own answer
     * @param message one sentence that may be shown to the caller
     * @param found the offending value taken from the token ({@code alg}, {@code iss} or {@code aud}), shortened;
     *        empty when there is none
     */
    record Refused(Reason reason, String message, String found) implements Verification {
    }

    /** The trusted issuer's keys cannot be had, so the token cannot be checked either way. */
    record KeysUnavailable(String message) implements Verification {
    }

    enum Reason {
        /** Not a signed JWT, or a claim is missing ({@code iss}, {@code exp}) or malformed. */
        MALFORMED,
        /** Signed with another algorithm than RS256 ({@code none}, {@code HS256}, ...). */
        NOT_RS256,
        /** {@code iss} is no trusted issuer's (or names another tenant than {@code tid}). */
        UNTRUSTED_ISSUER,
        /** Its {@code kid} is none of its issuer's keys, even after a refresh. */
        UNKNOWN_KEY,
        /** The signature does not verify with its issuer's keys. */
        BAD_SIGNATURE,
        /** {@code aud} is not an expected audience. */
        WRONG_AUDIENCE,
        /** {@code exp} has passed, beyond the clock skew. */
        EXPIRED,
        /** {@code nbf} is in the future, beyond the clock skew. */
        NOT_YET_VALID
    }
}
