package dev.moat.vault.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869): one master key, independent keys per purpose, told apart by {@code info}. */
final class Hkdf {

    private static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    static byte[] derive(byte[] inputKey, String info, int length) {
        try {
            byte[] prk = hmac(new byte[HASH_LENGTH], inputKey);
            byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            int done = 0;
            for (int counter = 1; done < length; counter++) {
                byte[] input = new byte[block.length + infoBytes.length + 1];
                System.arraycopy(block, 0, input, 0, block.length);
                System.arraycopy(infoBytes, 0, input, block.length, infoBytes.length);
                input[input.length - 1] = (byte) counter;
                block = hmac(prk, input);
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            Arrays.fill(prk, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
