package dev.moat.vault.objects;

import dev.moat.vault.store.VaultObjectRows;
import dev.moat.vault.vaults.Vault;

/**
 * A type's service over the shared {@link Lifecycle}: the operations every type answers alike are here, once; a type
 * says only how its rows become what it returns ({@link #describe}) and adds its own operations.
 *
 * @param <O> the type's object row
 * @param <V> the type's version row
 * @param <T> what the type returns for one version
 */
public abstract class VaultObjectService<O extends VaultObjectRows.ObjectRow, V extends VaultObjectRows.VersionRow,
        T extends Named> implements VaultObjects<T> {

    protected final Lifecycle<O, V> objects;

    protected VaultObjectService(Lifecycle<O, V> objects) {
        this.objects = objects;
    }

    /** For the container's client proxies only, which never call a method of their own. */
    protected VaultObjectService() {
        this(null);
    }

    /** One version of an object as the type returns it (without a secret's value or a key's private part). */
    protected abstract T describe(O object, V version);

    @Override
    public String noun() {
        return objects.noun();
    }

    @Override
    public Page<T> list(Vault vault, String after, int max) {
        return objects.list(vault, false, after, max, this::describe);
    }

    @Override
    public Page<T> versions(Vault vault, String name, String after, int max) {
        return objects.versions(vault, name, after, max, this::describe);
    }

    @Override
    public Deleted<T> delete(Vault vault, String name) {
        return objects.delete(vault, name, this::describe);
    }

    @Override
    public Deleted<T> getDeleted(Vault vault, String name) {
        return objects.getDeleted(vault, name, this::describe);
    }

    @Override
    public Page<Deleted<T>> listDeleted(Vault vault, String after, int max) {
        return objects.listDeleted(vault, after, max, this::describe);
    }

    @Override
    public T recover(Vault vault, String name) {
        return objects.recover(vault, name, this::describe);
    }

    @Override
    public void purge(Vault vault, String name) {
        objects.purge(vault, name);
    }

    @Override
    public int purgeDue() {
        return objects.purgeDue();
    }
}
