/**
 * Key Vault secrets: versions, attributes ({@code enabled}, {@code nbf}, {@code exp}), tags, content type, soft delete
 * with recover and purge, backup and restore, and Azure's limits. {@link dev.moat.vault.secrets.SecretService} holds
 * what is a secret's own (its value) over the lifecycle every vault object shares ({@code dev.moat.vault.objects});
 * {@link dev.moat.vault.secrets.SecretStore} is its JDBC table access. Values are sealed with the vault's
 * data key before they reach the store and are never logged.
 */
package dev.moat.vault.secrets;
