package dev.moat.vault.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a fresh random 96-bit nonce per seal and a 128-bit tag. A sealed value is
 * {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}. The associated data binds a ciphertext to where it
 * belongs; {@link #context} builds it unambiguously (each part length-prefixed).
 */
final class Aead {

    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    static final int OVERHEAD = NONCE_BYTES + TAG_BITS / 8;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The provider the JVM's configuration chooses for AES-GCM, found once: a {@link Cipher} asked for by name alone
     * searches the provider list again on every seal and open.
     */
    private static final Provider PROVIDER = provider();

    private Aead() {
    }

    private static Provider provider() {
        try {
            return Cipher.getInstance(TRANSFORMATION).getProvider();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    static byte[] seal(SecretKey key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION, PROVIDER);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_BYTES);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    static byte[] open(SecretKey key, byte[] sealed, byte[] associatedData) throws SealBrokenException {
        if (sealed == null || sealed.length < OVERHEAD) {
            throw new SealBrokenException("sealed value is too short to be AES-GCM output");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION, PROVIDER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealBrokenException("authentication tag mismatch: the value was altered, moved or sealed "
                    + "under another key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    /** {@code purpose} followed by each part, every one as a 4-byte length and its UTF-8 bytes. */
    static byte[] context(String purpose, String... parts) {
        byte[][] encoded = new byte[parts.length + 1][];
        encoded[0] = purpose.getBytes(StandardCharsets.UTF_8);
        int size = 0;
        for (int i = 0; i < parts.length; i++) {
            encoded[i + 1] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        for (byte[] e : encoded) {
            size += 4 + e.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (byte[] e : encoded) {
            buffer.putInt(e.length).put(e);
        }
        return buffer.array();
    }
}
