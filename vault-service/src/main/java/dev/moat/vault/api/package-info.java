/**
 * The HTTP edge of the data plane (Key Vault resources that hand every request to the pipeline), the host router
 * that keeps each plane on its hosts, and the one mapper to Key Vault's error JSON. The endpoints and the JSON every
 * type of vault object shares are written once ({@link dev.moat.vault.api.VaultObjectResource},
 * {@link dev.moat.vault.api.DeletedObjectsResource}, {@link dev.moat.vault.api.ObjectJson}); each type's resource and
 * JSON add only its own.
 */
package dev.moat.vault.api;
