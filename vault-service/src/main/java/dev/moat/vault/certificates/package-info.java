/**
 * Key Vault certificates (azure-compat.md section 5.3): self-signed certificates made from a policy (a pending
 * operation that completes), imported PFX and PEM files, versions, policies, soft delete, backup. As in Key Vault, each
 * certificate version has its key (a managed key of {@code dev.moat.vault.keys}, same name and version, whose private
 * key is sealed there) and its secret (the PFX or PEM, a version of the secret of the same name).
 */
package dev.moat.vault.certificates;
