package dev.moat.audit.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import dev.moat.audit.common.Labelled;

/** JDBC conversions shared by the stores, written once so that H2 and PostgreSQL see the same types. */
final class Rows {

    private Rows() {
    }

    static void setTime(PreparedStatement statement, int index, Instant time) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
    }

    static Instant getTime(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    static void setText(PreparedStatement statement, int index, String text) throws SQLException {
        if (text == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, text);
        }
    }

    static void setLabel(PreparedStatement statement, int index, Labelled value) throws SQLException {
        setText(statement, index, value == null ? null : value.label());
    }

    static <E extends Enum<E> & Labelled> E getLabel(ResultSet rows, String column, Class<E> type) throws SQLException {
        String label = rows.getString(column);
        if (label == null) {
            return null;
        }
        return Labelled.parse(type, label)
                .orElseThrow(() -> new SQLException("column " + column + " holds the unknown value " + label));
    }

    static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    static Long getLong(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}
