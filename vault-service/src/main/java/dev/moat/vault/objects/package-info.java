/**
 * The lifecycle that every versioned vault object shares, written once: names and versions, tags, soft delete with
 * recovery and scheduled purge, backup sealing, paging, and the refusals Key Vault answers for them
 * ({@link dev.moat.vault.objects.VaultObjectException}). Secrets, keys and certificates each add only their own part
 * (a value, a key's material and cryptography, a certificate's policy and issuance) through
 * {@link dev.moat.vault.objects.Lifecycle}.
 */
package dev.moat.vault.objects;
