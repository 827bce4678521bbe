package dev.moat.vault.secrets;

/**
 * A soft-deleted secret: its latest version and when it was deleted and will be purged (epoch seconds). Both dates
 * are null when the vault has soft delete off (the secret is gone already).
 */
public record DeletedSecret(SecretProperties properties, Long deletedDate, Long scheduledPurgeDate) {
}
