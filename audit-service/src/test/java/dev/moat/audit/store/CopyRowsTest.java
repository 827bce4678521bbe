package dev.moat.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PostgreSQL's COPY text format, as {@link CopyRows} writes it (the round trip is in PostgresStoreTest). */
class CopyRowsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # what (the value and the line COPY must read are written with \\t, \\n, \\r spelled out)
            nothing to escape             | plain-value               | plain-value
            empty                         | ""                        | ""
            a tab first                   | <TAB>x                    | \\tx
            a backslash last              | x\\                       | x\\\\
            a line feed in the middle     | a<LF>b                    | a\\nb
            a carriage return alone       | <CR>                      | \\r
            escapes side by side          | <TAB><LF>\\<CR>           | \\t\\n\\\\\\r
            the two characters of NULL    | \\N                       | \\\\N
            text after the last escape    | a\\b-and-more             | a\\\\b-and-more
            """)
    void text_is_escaped_where_copy_gives_a_character_a_meaning(String what, String value, String expected) {
        CopyRows rows = new CopyRows();
        rows.text(real(value));
        rows.endRow();
        assertThat(rows.text()).isEqualTo(expected + "\n");
    }

    @Test
    void null_columns_and_times_are_written_as_copy_reads_them() {
        Instant stored = Instant.parse("2026-12-03T10:15:30.123456Z");
        CopyRows rows = new CopyRows();
        rows.text("a");
        rows.text(null);
        rows.time(Instant.parse("2026-12-03T10:15:29Z"));
        rows.time(stored);
        rows.number(null);
        rows.bool(true);
        rows.endRow();
        rows.text("b");
        rows.time(null);
        rows.time(stored);
        rows.number(42L);
        rows.bool(false);
        rows.endRow();
        assertThat(rows.text()).isEqualTo(
                "a\t\\N\t2026-12-03T10:15:29Z\t2026-12-03T10:15:30.123456Z\t\\N\tt\n"
                        + "b\t\\N\t2026-12-03T10:15:30.123456Z\t42\tf\n");
        assertThat(rows.rows()).isEqualTo(2);
    }

    private static String real(String spelled) {
        return spelled.replace("<TAB>", "\t").replace("<LF>", "\n").replace("<CR>", "\r");
    }
}
