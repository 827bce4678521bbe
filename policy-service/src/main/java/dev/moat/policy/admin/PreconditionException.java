package dev.moat.policy.admin;

/** The request is well formed but the state does not allow it (for example promoting a staged set that is not there). */
public final class PreconditionException extends RuntimeException {
    public PreconditionException(String message) {
        super(message);
    }
}
