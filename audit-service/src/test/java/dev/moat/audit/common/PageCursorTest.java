package dev.moat.audit.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCursorTest {

    @Test
    void a_cursor_survives_its_round_trip() {
        PageCursor cursor = new PageCursor(Instant.parse("2024-05-01T12:00:00.123456Z"), "3f2c|odd-id");
        assertThat(PageCursor.decode(cursor.encode())).contains(cursor);
    }

    @Test
    void a_cursor_beyond_year_9999_is_no_cursor() {
        String farFuture = new PageCursor(Instant.parse("+10000-01-01T00:00:00Z"), "id").encode();
        assertThat(PageCursor.decode(farFuture)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-cursor", "", "!!!", "MTIzNA", "eC55fGlk"})
    void text_this_service_did_not_make_is_no_cursor(String text) {
        assertThat(PageCursor.decode(text)).isEmpty();
    }
}
