package dev.moat.audit.ingest;

/** A record that cannot be stored as it is: it goes to the dead-letter topic with this message as its reason. */
public final class InvalidEventException extends Exception {

    public InvalidEventException(String message) {
        super(message);
    }
}
