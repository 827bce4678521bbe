/**
 * What every store of vault-service shares: the one active datasource (H2 or PostgreSQL, chosen at run time), the
 * soft-delete lifecycle of vault objects written once for secrets, keys and certificates, and the database leases
 * that make each housekeeping job run once per due object across replicas.
 */
package dev.moat.vault.store;
