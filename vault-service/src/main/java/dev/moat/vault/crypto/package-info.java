/**
 * Encryption at rest: AES-256-GCM envelope encryption. Each vault has a random 256-bit data key that seals its secret
 * values; data keys are stored wrapped (AES-256-GCM) under a key derived from one of the operator's master keys (the
 * {@link dev.moat.vault.crypto.MasterKeyRing}: its primary wraps, the others only unwrap what they wrapped); backups
 * are sealed under another key derived from the primary. Plain Java (JCA only), so it is unit-tested without
 * Quarkus. No class here logs, prints or returns key material or plaintext in {@code toString()}.
 */
package dev.moat.vault.crypto;
