package dev.moat.audit.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Binds a row's values to the parameters of a prepared {@code INSERT}, in order. */
final class StatementRow implements RowWriter {

    private final PreparedStatement statement;
    private int index;

    StatementRow(PreparedStatement statement) {
        this.statement = statement;
    }

    /** Starts the next row of a batch: the parameters are bound again from the first. */
    StatementRow next() {
        index = 0;
        return this;
    }

    @Override
    public void text(String value) throws SQLException {
        Rows.setText(statement, ++index, value);
    }

    @Override
    public void time(Instant value) throws SQLException {
        Rows.setTime(statement, ++index, value);
    }

    @Override
    public void number(Long value) throws SQLException {
        Rows.setLong(statement, ++index, value);
    }

    @Override
    public void integer(int value) throws SQLException {
        statement.setInt(++index, value);
    }

    @Override
    public void bool(Boolean value) throws SQLException {
        if (value == null) {
            statement.setNull(++index, Types.BOOLEAN);
        } else {
            statement.setBoolean(++index, value);
        }
    }
}
