package dev.moat.audit.auth;

/** Whether a request may read the audit trail, and if not, why, in ARM's error codes. */
public sealed interface Access {

    /** An administrator, or anyone while access control is off. */
    record Granted() implements Access {
    }

    /**
     * 401: no bearer token, or one this service does not accept.
     *
     * @param code {@code AuthenticationFailed} (no token), {@code InvalidAuthenticationToken},
     *        {@code ExpiredAuthenticationToken} or {@code InvalidAuthenticationTokenAudience}
     * @param tokenPresented whether there was a token (then the challenge says {@code invalid_token})
     */
    record Unauthenticated(String code, String message, boolean tokenPresented) implements Access {
    }

    /** 403 {@code AuthorizationFailed}: a valid token of someone who is not an administrator. */
    record Forbidden(Caller caller, String message) implements Access {
    }

    /** 503: the issuer's keys cannot be fetched, so no token can be checked. */
    record Unavailable(String message) implements Access {
    }
}
