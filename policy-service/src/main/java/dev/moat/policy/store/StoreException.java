package dev.moat.policy.store;

import java.sql.SQLException;

/** The database failed; callers answer UNAVAILABLE and change nothing. */
public final class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super("policy store unavailable: " + cause.getMessage(), cause);
    }
}
