package dev.moat.vault.objects;

/**
 * The attributes Key Vault keeps per version of a secret or key (epoch seconds).
 *
 * @param notBefore {@code nbf}: not to be used before; null when unset
 * @param expires {@code exp}: not to be used from then on; null when unset
 */
public record Attributes(boolean enabled, Long notBefore, Long expires, long created, long updated) {
}
