/**
 * The HTTP edge of the data plane (Key Vault resources that hand every request to the pipeline), the host router
 * that keeps each plane on its hosts, and the one mapper to Key Vault's error JSON.
 */
package dev.moat.vault.api;
