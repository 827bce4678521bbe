package dev.moat.vault.issuer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Client secrets are configured as hashes, never in clear. Two forms:
 * <ul>
 * <li>{@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>} (PBKDF2WithHmacSHA256, 256-bit hash), what
 * {@code main} prints;</li>
 * <li>{@code sha256:<salt>:<hex SHA-256 of salt followed by the secret>}, which a shell script can make with
 * {@code printf '%s%s' "$salt" "$secret" | sha256sum}. It is adequate for the long random secrets of
 * machine clients, not for passwords people choose.</li>
 * </ul>
 */
public final class SecretHash {

    private static final int DEFAULT_ITERATIONS = 210_000;

    private SecretHash() {
    }

    /** Prints the PBKDF2 hash of the secret given as the only argument, for {@code ...clients.<id>.secret-hash}. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: SecretHash <client-secret>");
            System.exit(2);
        }
        System.out.println(pbkdf2(args[0], DEFAULT_ITERATIONS));
    }

    public static String pbkdf2(String secret, int iterations) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return "pbkdf2-sha256:" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(derive(secret, salt, iterations));
    }

    /**
     * Whether {@code secret} matches {@code hash}; the comparison takes the same time wherever they differ.
     *
     * @throws IllegalArgumentException when the hash is in neither form (a configuration error)
     */
    public static boolean matches(String secret, String hash) {
        String[] parts = hash.split(":", -1);
        if (parts.length == 4 && parts[0].equals("pbkdf2-sha256")) {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(secret, salt, Integer.parseInt(parts[1])));
        }
        if (parts.length == 3 && parts[0].equals("sha256")) {
            byte[] expected = HexFormat.of().parseHex(parts[2].toLowerCase(java.util.Locale.ROOT));
            return MessageDigest.isEqual(expected, sha256(parts[1] + secret));
        }
        throw new IllegalArgumentException("a client secret hash must be 'pbkdf2-sha256:<iterations>:<salt>:<hash>' "
                + "or 'sha256:<salt>:<hex>'");
    }

    /** Checks the form of a configured hash without a secret, so that a typo fails at start, not at first use. */
    public static void validate(String hash) {
        try {
            matches("", hash);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid client secret hash: " + e.getMessage(), e);
        }
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
