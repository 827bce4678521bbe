package dev.moat.audit.store;

import java.time.Instant;

/**
 * Rows in the text format of PostgreSQL's {@code COPY ... FROM STDIN}: one line per row, columns separated by a
 * tab, {@code \N} for NULL, and a backslash, tab, line feed or carriage return inside a value escaped with a
 * backslash, so that any text arrives as it was. Times are ISO-8601 instants in UTC.
 */
final class CopyRows implements RowWriter {

    private final StringBuilder text = new StringBuilder(64 * 1024);
    private boolean firstColumn = true;
    private int rows;

    /** Ends the current row; the next value starts a new one. */
    void endRow() {
        text.append('\n');
        firstColumn = true;
        rows++;
    }

    int rows() {
        return rows;
    }

    /** The rows written so far, as COPY reads them. */
    String text() {
        return text.toString();
    }

    @Override
    public void text(String value) {
        separate();
        if (value == null) {
            text.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }

    @Override
    public void time(Instant value) {
        plain(value == null ? null : value.toString());
    }

    @Override
    public void number(Long value) {
        plain(value == null ? null : value.toString());
    }

    @Override
    public void integer(int value) {
        separate();
        text.append(value);
    }

    @Override
    public void bool(Boolean value) {
        plain(value == null ? null : value ? "t" : "f");
    }

    /** A value that holds no character COPY would need escaped. */
    private void plain(String value) {
        separate();
        text.append(value == null ? "\\N" : value);
    }

    private void separate() {
        if (!firstColumn) {
            text.append('\t');
        }
        firstColumn = false;
    }
}
