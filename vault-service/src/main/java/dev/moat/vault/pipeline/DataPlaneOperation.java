package dev.moat.vault.pipeline;

import dev.moat.vault.access.PermissionCategory;

/**
 * What the pipeline needs of a data-plane operation: the name events and the firewall's
 * {@code CheckRequest.operation} carry, and the access-policy permission it needs. Each object type brings its own
 * (the built-in types': {@link Operation}), so that a new type adds its operations in its own files.
 */
public interface DataPlaneOperation {

    /** Azure's operation name, for example {@code SecretGet}; empty for a request that matches no operation. */
    String operationName();

    /** The access policy's list the permission is in; null when no access policy applies. */
    PermissionCategory category();

    /** The permission name in its documented spelling, for example {@code get} or {@code wrapKey}. */
    String permission();
}
