package dev.moat.vault.secrets;

/**
 * The attributes Key Vault keeps per secret version (epoch seconds).
 *
 * @param notBefore {@code nbf}: the value may not be read before; null when unset
 * @param expires {@code exp}: the value may not be read from then on; null when unset
 */
public record SecretAttributes(boolean enabled, Long notBefore, Long expires, long created, long updated) {
}
