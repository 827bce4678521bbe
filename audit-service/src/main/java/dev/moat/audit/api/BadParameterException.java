package dev.moat.audit.api;

/** A request parameter with a value this service cannot use; answered 400 BadParameter naming the value. */
public final class BadParameterException extends RuntimeException {

    public BadParameterException(String message) {
        super(message);
    }
}
