package dev.moat.audit.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the next page of a newest-first listing starts: the time and id of the last item returned. Events are
 * ordered by (time, id) descending, so a page after the cursor holds exactly the older events, however many
 * arrive meanwhile. Opaque to clients (URL-safe Base64).
 */
public record PageCursor(Instant time, String eventId) {

    /** Years 0001 to 9999, the range both databases store. */
    private static final long MIN_SECONDS = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_SECONDS = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    public String encode() {
        String plain = time.getEpochSecond() + "." + time.getNano() + "|" + eventId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back; empty when the text is not one this service made. */
    public static Optional<PageCursor> decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            int dot = plain.indexOf('.');
            if (bar < 0 || dot < 0 || dot > bar || bar == plain.length() - 1) {
                return Optional.empty();
            }
            long seconds = Long.parseLong(plain.substring(0, dot));
            long nanos = Long.parseLong(plain.substring(dot + 1, bar));
            if (nanos < 0 || nanos > 999_999_999 || seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
                return Optional.empty();
            }
            return Optional.of(new PageCursor(Instant.ofEpochSecond(seconds, nanos), plain.substring(bar + 1)));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
