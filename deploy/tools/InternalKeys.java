import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Creates the local stack's internal signing key once: vault-service signs its tokens for policy-service with the
 * private key (PKCS#8), policy-service verifies them with the public key (SubjectPublicKeyInfo). Run by deploy/moat
 * as a single-file Java program, so that nothing but a JDK is needed:
 * {@code java deploy/tools/InternalKeys.java <dir>}. Existing keys are kept.
 */
public class InternalKeys {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path privateKey = dir.resolve("internal-signing.key.pem");
        Path publicKey = dir.resolve("internal-signing.pub.pem");
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            return;
        }
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.deleteIfExists(privateKey);
        Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
