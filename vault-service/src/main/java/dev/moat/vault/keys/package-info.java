/**
 * Key Vault keys: RSA and EC keys with versions, attributes, {@code key_ops} and tags, soft delete, backup and
 * rotation (azure-compat.md section 5.2), and the cryptography done with them. {@link KeyService} is what is a key's
 * own over the lifecycle every vault object shares ({@code dev.moat.vault.objects}); {@link KeyRotator} carries out
 * rotation policies and {@link KeyCryptography} the operations with a stored key. Private key material is sealed with
 * the vault's data key ({@code dev.moat.vault.crypto}) before it is stored and never leaves the service: only public
 * JWKs and the results of operations are returned. {@link KeyMaterial} and {@link KeyCrypto} are plain JCA, tested
 * without Quarkus.
 */
package dev.moat.vault.keys;
