package dev.moat.vault.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The operator's 256-bit master key. It never encrypts data itself: HKDF-SHA256 derives from it the key that wraps
 * the vaults' data keys, the key that seals backups, and a public key id that tells which master key sealed what.
 * The material is not kept after the derivation.
 */
public final class MasterKey {

    public static final int BYTES = 32;

    private static final byte[] BACKUP_MAGIC = {'M', 'K', 'B', '1'};
    private static final int BACKUP_HEADER = BACKUP_MAGIC.length + 8;

    private final SecretKey wrappingKey;
    private final SecretKey backupKey;
    private final String id;

    private MasterKey(SecretKey wrappingKey, SecretKey backupKey, String id) {
        this.wrappingKey = wrappingKey;
        this.backupKey = backupKey;
        this.id = id;
    }

    /** @param material exactly 32 random bytes; the array is zeroed afterwards */
    public static MasterKey of(byte[] material) {
        if (material == null || material.length != BYTES) {
            throw new IllegalArgumentException("a master key is exactly " + BYTES + " bytes (256 bits), not "
                    + (material == null ? 0 : material.length));
        }
        try {
            return new MasterKey(
                    new SecretKeySpec(Hkdf.derive(material, "moat/vault/data-key-wrapping/v1", BYTES), "AES"),
                    new SecretKeySpec(Hkdf.derive(material, "moat/vault/backup/v1", BYTES), "AES"),
                    HexFormat.of().formatHex(Hkdf.derive(material, "moat/vault/master-key-id/v1", 8)));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /** A public fingerprint of the master key (16 hex digits), stored beside what it wrapped. Reveals nothing of it. */
    public String id() {
        return id;
    }

    /** Wraps a vault's data key; the result opens only for the same vault name under this master key. */
    public byte[] wrap(DataKey dataKey, String vault) {
        return Aead.seal(wrappingKey, dataKey.material(), Aead.context("moat/vault/data-key/v1", vault));
    }

    public DataKey unwrap(byte[] wrapped, String vault) throws SealBrokenException {
        byte[] material = Aead.open(wrappingKey, wrapped, Aead.context("moat/vault/data-key/v1", vault));
        try {
            return DataKey.of(material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /**
     * Seals a backup blob: {@code "MKB1" || key id (8 bytes) || AES-GCM}. Only an installation holding this master key
     * can open it.
     */
    public byte[] sealBackup(byte[] plaintext) {
        byte[] keyId = HexFormat.of().parseHex(id);
        byte[] sealed = Aead.seal(backupKey, plaintext, Aead.context("moat/vault/backup/v1", id));
        return ByteBuffer.allocate(BACKUP_MAGIC.length + keyId.length + sealed.length)
                .put(BACKUP_MAGIC).put(keyId).put(sealed).array();
    }

    public byte[] openBackup(byte[] blob) throws SealBrokenException {
        String blobKeyId = sealedBy(blob);
        if (!blobKeyId.equals(id)) {
            throw new SealBrokenException("the backup was made by another installation (master key " + blobKeyId
                    + ", this installation's is " + id + ")");
        }
        return Aead.open(backupKey, Arrays.copyOfRange(blob, BACKUP_HEADER, blob.length),
                Aead.context("moat/vault/backup/v1", id));
    }

    /** The id of the master key that sealed a backup blob, from its header. */
    static String sealedBy(byte[] blob) throws SealBrokenException {
        if (blob == null || blob.length < BACKUP_HEADER + Aead.OVERHEAD
                || !Arrays.equals(BACKUP_MAGIC, Arrays.copyOf(blob, BACKUP_MAGIC.length))) {
            throw new SealBrokenException("not a Moat backup blob");
        }
        return HexFormat.of().formatHex(blob, BACKUP_MAGIC.length, BACKUP_HEADER);
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + id + "]";
    }
}
