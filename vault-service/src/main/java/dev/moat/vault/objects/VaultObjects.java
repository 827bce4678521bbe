package dev.moat.vault.objects;

import dev.moat.vault.vaults.Vault;

/**
 * The operations every type of vault object answers alike, as the data plane calls them: lists, soft delete and its
 * recovery and purge, backup and restore. {@link Lifecycle} does the work; a type's service only says how its rows
 * become what it returns.
 *
 * @param <T> what the type returns for one version (without a secret's value or a key's private part)
 */
public interface VaultObjects<T extends Named> {

    /** What messages call one object: {@code secret}, {@code key}, {@code certificate}. */
    String noun();

    /** Live objects by name (each with its latest version), {@code max} per page, after a previous page's next. */
    Page<T> list(Vault vault, String after, int max);

    /** The versions of a live object, oldest first, {@code max} per page. */
    Page<T> versions(Vault vault, String name, String after, int max);

    /** Soft-deletes an object with all its versions (purged at once when the vault has soft delete off). */
    Deleted<T> delete(Vault vault, String name);

    Deleted<T> getDeleted(Vault vault, String name);

    Page<Deleted<T>> listDeleted(Vault vault, String after, int max);

    /** Brings a soft-deleted object back with all its versions. */
    T recover(Vault vault, String name);

    /** Removes a soft-deleted object for good; refused (403) when the vault has purge protection. */
    void purge(Vault vault, String name);

    /** Every version of a live object in a blob only this installation opens. */
    byte[] backup(Vault vault, String name);

    /** Restores a backup under its name, which must be free (409 otherwise). */
    T restore(Vault vault, byte[] blob);

    /** Purges the soft-deleted objects whose {@code scheduledPurgeDate} has passed, each once. @return how many */
    int purgeDue();
}
