package dev.moat.audit.common;

import java.util.Locale;
import java.util.Optional;

/**
 * An enum shown to users by an Azure-style name ({@code "IpRule"}, {@code "AccessPolicy"}): its constant's name in
 * PascalCase ({@code IP_RULE}, {@code ACCESS_POLICY}). Parsing is forgiving about case and separators, so
 * {@code access-policy}, {@code accessPolicy} and {@code AccessPolicy} all name the same value.
 */
public interface Labelled {

    /** The Azure-style name, as stored and as rendered in JSON. */
    default String label() {
        Enum<?> constant = (Enum<?>) this;
        return Labels.OF_ENUM.get(constant.getDeclaringClass())[constant.ordinal()];
    }

    static <E extends Enum<E> & Labelled> Optional<E> parse(Class<E> type, String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = normalise(text);
        for (E value : type.getEnumConstants()) {
            if (normalise(value.label()).equals(wanted)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The labels of every value, for error messages. */
    static <E extends Enum<E> & Labelled> String labels(Class<E> type) {
        StringBuilder sb = new StringBuilder();
        for (E value : type.getEnumConstants()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(value.label());
        }
        return sb.toString();
    }

    private static String normalise(String text) {
        return text.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
