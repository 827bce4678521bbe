package dev.moat.audit.api;

/** The addressed event is not stored; answered 404 NotFound. */
public final class EventNotFoundException extends RuntimeException {

    public EventNotFoundException(String message) {
        super(message);
    }
}
