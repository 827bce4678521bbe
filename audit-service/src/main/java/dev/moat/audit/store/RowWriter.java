package dev.moat.audit.store;

import java.sql.SQLException;
import java.time.Instant;

import dev.moat.audit.common.Labelled;

/**
 * One row's values, in column order, written the same way whether they go to a batched {@code INSERT} (H2, and
 * PostgreSQL when a batch has to be stored again) or to PostgreSQL's {@code COPY}: a table says once what goes in
 * its columns, and each way of writing says once how a type is written.
 */
interface RowWriter {

    void text(String value) throws SQLException;

    void time(Instant value) throws SQLException;

    void number(Long value) throws SQLException;

    void bool(Boolean value) throws SQLException;

    default void integer(int value) throws SQLException {
        number((long) value);
    }

    default void label(Labelled value) throws SQLException {
        text(value == null ? null : value.label());
    }
}
