package dev.moat.audit.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.moat.audit.common.PageCursor;

/** A WHERE clause built from optional criteria, with its parameters in order. */
final class Where {

    private final List<String> clauses = new ArrayList<>();
    private final List<Object> parameters = new ArrayList<>();

    /** Adds {@code clause} with its parameters when {@code value} is present; each {@code ?} takes {@code value}. */
    Where when(Object value, String clause) {
        if (value != null) {
            clauses.add(clause);
            long marks = clause.chars().filter(c -> c == '?').count();
            for (int i = 0; i < marks; i++) {
                parameters.add(value);
            }
        }
        return this;
    }

    /** Case-insensitive equality, as ARM ids and Key Vault operation names compare. */
    Where equalsIgnoringCase(String column, String value) {
        return when(value == null ? null : value.toLowerCase(Locale.ROOT), "LOWER(" + column + ") = ?");
    }

    /** Only events older than the cursor in (time, id) descending order. */
    Where after(PageCursor cursor) {
        if (cursor != null) {
            clauses.add("(event_time < ? OR (event_time = ? AND event_id < ?))");
            parameters.addAll(List.of(cursor.time(), cursor.time(), cursor.eventId()));
        }
        return this;
    }

    String sql() {
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    /** Binds the parameters from index 1 on; returns the next free index. */
    int bind(PreparedStatement statement) throws SQLException {
        int index = 1;
        for (Object parameter : parameters) {
            if (parameter instanceof Instant time) {
                Rows.setTime(statement, index, time);
            } else if (parameter instanceof Long number) {
                statement.setLong(index, number);
            } else {
                statement.setString(index, parameter.toString());
            }
            index++;
        }
        return index;
    }
}
