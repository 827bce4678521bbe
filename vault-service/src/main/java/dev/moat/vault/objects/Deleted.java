package dev.moat.vault.objects;

/**
 * A soft-deleted object with its latest version, or one just deleted: when it was deleted and when it will be purged
 * (epoch seconds). Both dates are null when the vault has soft delete off (the object is gone already).
 */
public record Deleted<T extends Named>(T object, Long deletedDate, Long scheduledPurgeDate) {
}
