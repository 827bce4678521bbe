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
    /** The last time written and its text: every row of a batch has the same storing time. */
    private Instant lastTime;
    private String lastTimeText;

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
        // most values hold nothing to escape: copied in runs, not character by character
        int run = 0;
        for (int i = 0; i < value.length(); i++) {
            String escaped = escape(value.charAt(i));
            if (escaped != null) {
                text.append(value, run, i).append(escaped);
                run = i + 1;
            }
        }
        if (run == 0) {
            text.append(value);
        } else {
            text.append(value, run, value.length());
        }
    }

    private static String escape(char c) {
        return switch (c) {
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            default -> null;
        };
    }

    @Override
    public void time(Instant value) {
        if (value != null && !value.equals(lastTime)) {
            lastTime = value;
            lastTimeText = value.toString();
        }
        plain(value == null ? null : lastTimeText);
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
