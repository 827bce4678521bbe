package dev.moat.vault.objects;

import java.util.Map;

/**
 * The part of an update every type shares (Key Vault's PATCH): {@code attributes.enabled}, {@code nbf}, {@code exp}
 * and the tags. What is not named stays as it is; {@code nbf} or {@code exp} given as JSON {@code null} clear them.
 */
public interface AttributesPatch {

    /** Null when not given. */
    Boolean enabled();

    /** Whether {@code attributes.nbf} was given (null included). */
    boolean setsNotBefore();

    Long notBefore();

    /** Whether {@code attributes.exp} was given (null included). */
    boolean setsExpires();

    Long expires();

    /** The new tags (replacing all), or null when not given. */
    Map<String, String> tags();

    default boolean enabled(boolean current) {
        return enabled() != null ? enabled() : current;
    }

    default Long notBefore(Long current) {
        return setsNotBefore() ? notBefore() : current;
    }

    default Long expires(Long current) {
        return setsExpires() ? expires() : current;
    }
}
