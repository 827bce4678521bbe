package dev.moat.audit.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import dev.moat.audit.common.Labelled;
import dev.moat.audit.common.PageCursor;
import dev.moat.netaddr.Ipv4;
import inet.ipaddr.IPAddress;

/**
 * Parses query parameters, each failure a {@link BadParameterException} naming the parameter and its value.
 * Parameters arrive as text so that a bad number is a 400 here rather than JAX-RS's 404.
 */
final class QueryParams {

    private static final int MAX_ECHO = 100;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private QueryParams() {
    }

    /** An RFC 3339 time with offset ({@code 2024-05-01T12:00:00Z}, {@code 2024-05-01T14:00:00+02:00}). */
    static Instant time(String name, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            Instant time = OffsetDateTime.parse(value.trim()).toInstant();
            if (!time.isBefore(EARLIEST) && !time.isAfter(LATEST)) {
                return time;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw bad(name, value, "an RFC 3339 time from year 0001 to 9999, such as 2024-05-01T12:00:00Z");
    }

    static int limit(String value, int defaultLimit, int maxLimit) {
        if (blank(value)) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw bad("limit", value, "a whole number from 1 to " + maxLimit);
    }

    static <E extends Enum<E> & Labelled> E label(String name, String value, Class<E> type) {
        if (blank(value)) {
            return null;
        }
        return Labelled.parse(type, value.trim())
                .orElseThrow(() -> bad(name, value, "one of " + Labelled.labels(type)));
    }

    /**
     * An IPv4 address or CIDR block (host bits clear, as policy-service takes IP rules), or one IPv6 address: clients
     * need not be IPv4 even though network rules are.
     */
    static IPAddress clientAddress(String name, String value) {
        if (blank(value)) {
            return null;
        }
        String expected = "an IPv4 address or CIDR range such as 203.0.113.7 or 203.0.113.0/24, or one IPv6 address";
        IPAddress address = Ipv4.parse(value).orElseThrow(() -> bad(name, value, expected));
        if (address.isIPv6()) {
            return Ipv4.parseClient(value).orElseThrow(() -> bad(name, value, expected));
        }
        if (address.isPrefixed() && !Ipv4.isNetworkRange(address)) {
            throw bad(name, value, "a CIDR range without host bits set (did you mean " + Ipv4.networkOf(address) + "?)");
        }
        return address;
    }

    static PageCursor cursor(String value) {
        if (blank(value)) {
            return null;
        }
        return PageCursor.decode(value.trim())
                .orElseThrow(() -> bad("cursor", value, "a cursor taken from a nextLink of this API"));
    }

    static Boolean bool(String name, String value) {
        if (blank(value)) {
            return null;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw bad(name, value, "true or false");
        };
    }

    /** Free text compared for equality; only its length is checked. */
    static String text(String name, String value, int maxLength) {
        if (blank(value)) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new BadParameterException("The value of '" + name + "' is longer than " + maxLength + " characters.");
        }
        return value.trim();
    }

    /** Checks that a time window is not upside down. */
    static void window(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadParameterException("The time window is empty: 'from' (" + from + ") must be before 'to' (" + to + ").");
        }
    }

    static BadParameterException bad(String name, String value, String expected) {
        return new BadParameterException("The value '" + echo(value) + "' of '" + name + "' is not valid: expected " + expected + ".");
    }

    private static String echo(String value) {
        String shown = value.length() > MAX_ECHO ? value.substring(0, MAX_ECHO) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
