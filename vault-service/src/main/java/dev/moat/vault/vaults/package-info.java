/**
 * Vaults as the management plane defines them (name, resource group, owner, ARM properties with access policies)
 * and their store, vault-service's own database. Network rules are not here: policy-service owns them.
 */
package dev.moat.vault.vaults;
