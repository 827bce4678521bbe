package dev.moat.vault.auth;

/** The outcome of validating a request's {@code Authorization} header. */
public sealed interface Authentication {

    record Authenticated(Identity identity) implements Authentication {
    }

    /**
     * The request is not authenticated.
     *
     * @param failure what is wrong
     * @param message one sentence for the client and the audit trail; never contains the token
     */
    record Failed(Failure failure, String message) implements Authentication {
    }

    enum Failure {
        /** No {@code Authorization: Bearer} header. */
        MISSING,
        /** Not a JWT, or a claim Moat needs is missing. */
        MALFORMED,
        /** Signed by a key no trusted issuer holds, or not RS256. */
        BAD_SIGNATURE,
        /** {@code iss} is not a trusted issuer. */
        WRONG_ISSUER,
        /** {@code aud} is not this plane's audience. */
        WRONG_AUDIENCE,
        /** {@code exp} has passed. */
        EXPIRED,
        /** {@code nbf} is in the future. */
        NOT_YET_VALID
    }
}
