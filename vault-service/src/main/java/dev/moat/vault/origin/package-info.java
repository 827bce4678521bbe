/** Where a request comes from and which vault it is for: the client address, the source subnet, the vault host. */
package dev.moat.vault.origin;
