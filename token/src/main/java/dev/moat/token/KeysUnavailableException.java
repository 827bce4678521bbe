package dev.moat.token;

/** The issuer's keys could not be had (the issuer is down or its JWKS is unusable), so no token can be checked. */
public final class KeysUnavailableException extends Exception {

    public KeysUnavailableException(String message) {
        super(message);
    }
}
