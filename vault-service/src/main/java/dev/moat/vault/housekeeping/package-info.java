/**
 * The background work of vault-service, scheduled by Quarkus: purging soft-deleted secrets, keys and certificates after
 * their date, carrying out key rotation policies, finishing pending certificate operations. Each due item is claimed
 * with a database lease ({@code dev.moat.vault.store.JobLeases}), so N replicas do each once.
 */
package dev.moat.vault.housekeeping;
