package dev.moat.vault.api;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.moat.vault.objects.Named;
import dev.moat.vault.objects.VaultObjects;
import dev.moat.vault.pipeline.DataPlaneOperation;

/**
 * One type of vault object as the data plane serves it: its service, its own JSON, and how one of its objects looks
 * on the wire, and its operations. Its collection ({@code /secrets}, and {@code /deletedsecrets} for the soft-deleted
 * ones) follows from the service's noun. The endpoints every type shares ({@link VaultObjectResource},
 * {@link DeletedObjectsResource}) are written against it; each type's resource names its own, so that a type is
 * added without changing either.
 *
 * @param json the type's own JSON on top of the shared {@link ObjectJson}
 * @param bundle the …Bundle of an object (delete, recover, restore)
 * @param item the …Item of an object, with or without its version in the id (lists)
 * @param operations the type's operation for an action every type has: {@code LIST}, {@code LIST_VERSIONS},
 *        {@code GET}, {@code UPDATE}, {@code DELETE}, {@code BACKUP}, {@code RESTORE}, {@code LIST_DELETED},
 *        {@code GET_DELETED}, {@code RECOVER}, {@code PURGE}
 */
record ObjectType<J, T extends Named>(VaultObjects<T> service, Function<ObjectJson, J> json,
        BiFunction<J, T, Map<String, Object>> bundle, Item<J, T> item,
        Function<String, DataPlaneOperation> operations) {

    /** An object as a list shows it. */
    @FunctionalInterface
    interface Item<J, T> {
        Map<String, Object> of(J json, T object, boolean withVersion);
    }

    /** {@code secret}, {@code key}, {@code certificate}. */
    String noun() {
        return service.noun();
    }

    /** The path segment: {@code secrets}, {@code keys}, {@code certificates}. */
    String collection() {
        return noun() + "s";
    }

    /** The type's operation for an action every type has ({@code LIST}, {@code PURGE}, …). */
    DataPlaneOperation operation(String action) {
        return operations.apply(action);
    }
}
