/** Typed configuration of vault-service (prefix {@code moat.vault}), documented with defaults in the README. */
package dev.moat.vault.config;
