package dev.moat.vault.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A vault's random 256-bit data key, which seals the values of its secrets and the private keys of its keys. A sealed
 * value is bound to its purpose, vault, name and version (the AES-GCM associated data), so a row copied onto another
 * object, version or vault does not open. Stored only wrapped by the {@link MasterKey}.
 */
public final class DataKey {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private DataKey(SecretKey key) {
        this.key = key;
    }

    public static DataKey generate() {
        byte[] material = new byte[MasterKey.BYTES];
        RANDOM.nextBytes(material);
        try {
            return of(material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    static DataKey of(byte[] material) {
        if (material.length != MasterKey.BYTES) {
            throw new IllegalArgumentException("a data key is " + MasterKey.BYTES + " bytes");
        }
        return new DataKey(new SecretKeySpec(material, "AES"));
    }

    /** The raw key, for wrapping only. */
    byte[] material() {
        return key.getEncoded();
    }

    /**
     * Seals a secret value for one place: vault, secret name (in its case-insensitive key form) and version.
     *
     * @return {@code nonce || ciphertext || tag}, 28 bytes longer than the value
     */
    public byte[] sealSecret(String vault, String name, String version, byte[] value) {
        return Aead.seal(key, value, secretContext(vault, name, version));
    }

    public byte[] openSecret(String vault, String name, String version, byte[] sealed) throws SealBrokenException {
        return Aead.open(key, sealed, secretContext(vault, name, version));
    }

    private static byte[] secretContext(String vault, String name, String version) {
        return Aead.context("moat/vault/secret-value/v1", vault, name, version);
    }

    /**
     * Seals a key's private key (PKCS#8 DER) for one place: vault, key name (its case-insensitive key form) and
     * version. Another purpose than secret values, so that neither opens as the other.
     */
    public byte[] sealPrivateKey(String vault, String name, String version, byte[] pkcs8) {
        return Aead.seal(key, pkcs8, privateKeyContext(vault, name, version));
    }

    public byte[] openPrivateKey(String vault, String name, String version, byte[] sealed)
            throws SealBrokenException {
        return Aead.open(key, sealed, privateKeyContext(vault, name, version));
    }

    private static byte[] privateKeyContext(String vault, String name, String version) {
        return Aead.context("moat/vault/private-key/v1", vault, name, version);
    }

    @Override
    public String toString() {
        return "DataKey[redacted]";
    }
}
