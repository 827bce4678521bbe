/**
 * What every store of vault-service shares: the one active datasource (H2 or PostgreSQL, chosen at run time), the JDBC
 * plumbing ({@link dev.moat.vault.store.Jdbc}), the rows of vault objects read and soft-deleted once for secrets, keys
 * and certificates ({@link dev.moat.vault.store.VaultObjectRows}), and the database leases
 * that make each housekeeping job run once per due object across replicas.
 */
package dev.moat.vault.store;
