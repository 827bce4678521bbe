package dev.moat.audit.ingest;

import java.sql.SQLException;

/** Tells a database that refuses the data itself from one that cannot be reached or is busy. */
final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * True for SQLState class 22 (data exception: too long, bad encoding) and class 23 (integrity constraint)
     * except 23505: a unique violation means another consumer stored the same event at the same moment, which
     * the next attempt skips.
     */
    static boolean isRefusedData(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("22") || (state.startsWith("23") && !state.equals("23505"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
