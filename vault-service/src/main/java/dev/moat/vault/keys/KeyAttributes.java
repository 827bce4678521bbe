package dev.moat.vault.keys;

/**
 * The attributes of one key version. Times are epoch seconds; {@code notBefore} and {@code expires} are null when
 * unset.
 */
public record KeyAttributes(boolean enabled, Long notBefore, Long expires, long created, long updated) {
}
