package dev.moat.audit.api;

/** Proposed rules that break a rule: answered as the management plane answers an invalid update (400 BadRequest). */
public final class InvalidRuleSetException extends RuntimeException {
    public InvalidRuleSetException(String message) {
        super(message);
    }
}
