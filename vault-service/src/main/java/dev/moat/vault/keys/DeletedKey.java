package dev.moat.vault.keys;

/**
 * A soft-deleted key with its latest version, or a key just deleted. The dates are null when the vault has soft delete
 * off (the key was purged at once).
 */
public record DeletedKey(KeyBundle key, Long deletedDate, Long scheduledPurgeDate) {
}
