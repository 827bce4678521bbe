package dev.moat.audit.common;

import java.util.Locale;

/**
 * The labels of each {@link Labelled} enum by ordinal, worked out once per enum: events are stored with them at a high
 * rate.
 */
final class Labels {

    static final ClassValue<String[]> OF_ENUM = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] labels = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                labels[i] = pascalCase(((Enum<?>) constants[i]).name());
            }
            return labels;
        }
    };

    private Labels() {
    }

    /** {@code ACCESS_POLICY} to {@code AccessPolicy}. */
    static String pascalCase(String constant) {
        StringBuilder label = new StringBuilder(constant.length());
        for (String word : constant.split("_")) {
            label.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return label.toString();
    }
}
