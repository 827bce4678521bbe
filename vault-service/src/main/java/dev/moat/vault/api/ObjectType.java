package dev.moat.vault.api;

import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.moat.vault.objects.Named;
import dev.moat.vault.objects.VaultObjects;
import dev.moat.vault.pipeline.Operation;

/**
 * One type of vault object as the data plane serves it: its service, its own JSON, and how one of its objects looks
 * on the wire. Its collection ({@code /secrets}, and {@code /deletedsecrets} for the soft-deleted ones) and its
 * operations ({@code SECRET_LIST}, …) follow from the service's noun. The endpoints every type shares
 * ({@link VaultObjectResource}, {@link DeletedObjectsResource}) are written against it; each type's resource produces
 * its own, so that a type is added without changing either.
 *
 * @param json the type's own JSON on top of the shared {@link ObjectJson}
 * @param bundle the …Bundle of an object (delete, recover, restore)
 * @param item the …Item of an object, with or without its version in the id (lists)
 */
record ObjectType<J, T extends Named>(VaultObjects<T> service, Function<ObjectJson, J> json,
        BiFunction<J, T, Map<String, Object>> bundle, Item<J, T> item) {

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
    Operation operation(String action) {
        return Operation.valueOf(noun().toUpperCase(Locale.ROOT) + "_" + action);
    }
}
