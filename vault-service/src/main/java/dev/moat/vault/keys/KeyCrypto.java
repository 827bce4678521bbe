package dev.moat.vault.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import dev.moat.vault.objects.VaultObjectException;

/**
 * The cryptography of Key Vault keys, as the Azure SDK's local cryptography expects it (azure-compat.md 5.2):
 * RSA1_5, RSA-OAEP (SHA-1, MGF1-SHA-1) and RSA-OAEP-256 (SHA-256, MGF1-SHA-256) for encrypt and key wrapping;
 * RS256/384/512 (PKCS#1 v1.5 over the DigestInfo of the given digest), PS256/384/512 (PSS, MGF1 with the same hash,
 * salt as long as the hash) and ES256/384/512 (ECDSA, the signature as raw {@code r||s}) over a digest the client
 * computed. Bad input is a {@link VaultObjectException} 400 naming the value and the rule.
 */
public final class KeyCrypto {

    /** Only for PSS over a precomputed digest, which the JDK's providers do not offer; not installed JVM-wide. */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    /** Key encryption and wrapping algorithms (JWA names). */
    public enum EncryptionAlgorithm {
        RSA1_5("RSA1_5", 11),
        RSA_OAEP("RSA-OAEP", 2 * 20 + 2),
        RSA_OAEP_256("RSA-OAEP-256", 2 * 32 + 2);

        private final String jwaName;
        private final int overhead;

        EncryptionAlgorithm(String jwaName, int overhead) {
            this.jwaName = jwaName;
            this.overhead = overhead;
        }

        public String jwaName() {
            return jwaName;
        }

        public static EncryptionAlgorithm of(String alg) {
            return KeyRules.named(values(), EncryptionAlgorithm::jwaName, alg).orElseThrow(() ->
                    VaultObjectException.badParameter("alg '" + KeyRules.shown(alg) + "' is not supported: encryption "
                            + "and key wrapping use RSA1_5, RSA-OAEP or RSA-OAEP-256."));
        }

        Cipher cipher(int mode, java.security.Key key) throws GeneralSecurityException {
            return switch (this) {
                case RSA1_5 -> {
                    Cipher c = Cipher.getInstance("RSA/ECB/PKCS1Padding");
                    c.init(mode, key);
                    yield c;
                }
                case RSA_OAEP -> {
                    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                    c.init(mode, key, new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1,
                            PSource.PSpecified.DEFAULT));
                    yield c;
                }
                case RSA_OAEP_256 -> {
                    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                    c.init(mode, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                            PSource.PSpecified.DEFAULT));
                    yield c;
                }
            };
        }
    }

    /** Signature algorithms (JWA names), each with its hash and, for ECDSA, its curve. */
    public enum SignatureAlgorithm {
        RS256("RS256", "SHA-256", null, new byte[] {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01,
                0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}),
        RS384("RS384", "SHA-384", null, new byte[] {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01,
                0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30}),
        RS512("RS512", "SHA-512", null, new byte[] {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01,
                0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40}),
        PS256("PS256", "SHA-256", null, null),
        PS384("PS384", "SHA-384", null, null),
        PS512("PS512", "SHA-512", null, null),
        ES256("ES256", "SHA-256", Curve.P_256, null),
        ES384("ES384", "SHA-384", Curve.P_384, null),
        ES512("ES512", "SHA-512", Curve.P_521, null);

        private final String jwaName;
        private final String hash;
        private final Curve curve;
        private final byte[] digestInfoPrefix;

        SignatureAlgorithm(String jwaName, String hash, Curve curve, byte[] digestInfoPrefix) {
            this.jwaName = jwaName;
            this.hash = hash;
            this.curve = curve;
            this.digestInfoPrefix = digestInfoPrefix;
        }

        public String jwaName() {
            return jwaName;
        }

        /** The JCA name of the hash whose digest the client sends. */
        public String hash() {
            return hash;
        }

        public boolean isEcdsa() {
            return curve != null;
        }

        /** The curve an ECDSA algorithm needs; null for RSA. */
        public Curve curve() {
            return curve;
        }

        int digestLength() {
            return switch (hash) {
                case "SHA-256" -> 32;
                case "SHA-384" -> 48;
                default -> 64;
            };
        }

        public static SignatureAlgorithm of(String alg) {
            return KeyRules.named(values(), SignatureAlgorithm::jwaName, alg).orElseThrow(() ->
                    VaultObjectException.badParameter("alg '" + KeyRules.shown(alg) + "' is not supported: signatures "
                            + "use RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or ES512."));
        }
    }

    private KeyCrypto() {
    }

    public static byte[] encrypt(KeyMaterial key, EncryptionAlgorithm alg, byte[] plaintext) {
        requireRsa(key, alg.jwaName());
        int max = modulusBytes(key) - alg.overhead;
        if (plaintext.length > max) {
            throw VaultObjectException.badParameter("The value is " + plaintext.length + " bytes: " + alg.jwaName()
                    + " with a " + key.rsaBits() + "-bit key encrypts at most " + max + " bytes.");
        }
        try {
            return alg.cipher(Cipher.ENCRYPT_MODE, key.publicKey()).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg.jwaName() + " encryption failed: " + e.getClass().getSimpleName());
        }
    }

    public static byte[] decrypt(KeyMaterial key, EncryptionAlgorithm alg, byte[] ciphertext) {
        requireRsa(key, alg.jwaName());
        if (ciphertext.length != modulusBytes(key)) {
            throw VaultObjectException.badParameter("The value is " + ciphertext.length + " bytes: a ciphertext of a "
                    + key.rsaBits() + "-bit RSA key is exactly " + modulusBytes(key) + " bytes.");
        }
        try {
            return alg.cipher(Cipher.DECRYPT_MODE, key.privateKey()).doFinal(ciphertext);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw VaultObjectException.badParameter("The value does not decrypt with " + alg.jwaName() + " under this key: "
                    + "it was encrypted with another key or algorithm, or altered.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg.jwaName() + " decryption failed: " + e.getClass().getSimpleName());
        }
    }

    /** Signs a digest; ECDSA signatures are raw {@code r||s}, each half the curve's coordinate length. */
    public static byte[] sign(KeyMaterial key, SignatureAlgorithm alg, byte[] digest) {
        requireFits(key, alg);
        requireDigest(alg, digest);
        try {
            if (alg.isEcdsa()) {
                Signature ecdsa = Signature.getInstance("NONEwithECDSA");
                ecdsa.initSign(key.privateKey());
                ecdsa.update(digest);
                return derToRaw(ecdsa.sign(), alg.curve().coordinateBytes());
            }
            if (alg.digestInfoPrefix != null) {
                Signature rsa = Signature.getInstance("NONEwithRSA");
                rsa.initSign(key.privateKey());
                rsa.update(concat(alg.digestInfoPrefix, digest));
                return rsa.sign();
            }
            Signature pss = pss(alg);
            pss.initSign(key.privateKey());
            pss.update(digest);
            return pss.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg.jwaName() + " signing failed: " + e.getClass().getSimpleName());
        }
    }

    public static boolean verify(KeyMaterial key, SignatureAlgorithm alg, byte[] digest, byte[] signature) {
        requireFits(key, alg);
        requireDigest(alg, digest);
        try {
            if (alg.isEcdsa()) {
                if (signature.length != 2 * alg.curve().coordinateBytes()) {
                    return false;
                }
                Signature ecdsa = Signature.getInstance("NONEwithECDSA");
                ecdsa.initVerify(key.publicKey());
                ecdsa.update(digest);
                return ecdsa.verify(rawToDer(signature));
            }
            Signature rsa;
            if (alg.digestInfoPrefix != null) {
                rsa = Signature.getInstance("NONEwithRSA");
                rsa.initVerify(key.publicKey());
                rsa.update(concat(alg.digestInfoPrefix, digest));
            } else {
                rsa = pss(alg);
                rsa.initVerify(key.publicKey());
                rsa.update(digest);
            }
            return rsa.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg.jwaName() + " verification failed: " + e.getClass().getSimpleName());
        }
    }

    /** Whether a key pair belongs together: a signature by its private key verifies under its public key. */
    static boolean pairMatches(KeyMaterial key) {
        SignatureAlgorithm alg = key.isRsa() ? SignatureAlgorithm.RS256 : switch (key.curve()) {
            case P_256 -> SignatureAlgorithm.ES256;
            case P_384 -> SignatureAlgorithm.ES384;
            case P_521 -> SignatureAlgorithm.ES512;
        };
        try {
            byte[] digest = MessageDigest.getInstance(alg.hash()).digest("moat key import check".getBytes());
            return verify(key, alg, digest, sign(key, alg, digest));
        } catch (GeneralSecurityException | IllegalStateException e) {
            return false;
        }
    }

    private static Signature pss(SignatureAlgorithm alg) throws GeneralSecurityException {
        Signature pss = Signature.getInstance("NONEwithRSASSA-PSS", BOUNCY_CASTLE);
        pss.setParameter(new PSSParameterSpec(alg.hash(), "MGF1", new MGF1ParameterSpec(alg.hash()),
                alg.digestLength(), 1));
        return pss;
    }

    private static void requireRsa(KeyMaterial key, String alg) {
        if (!key.isRsa()) {
            throw VaultObjectException.badParameter("alg '" + alg + "' needs an RSA key; this key is EC ("
                    + key.curve().jwkName() + ").");
        }
    }

    private static void requireFits(KeyMaterial key, SignatureAlgorithm alg) {
        if (alg.isEcdsa() ? key.curve() != alg.curve() : !key.isRsa()) {
            throw VaultObjectException.badParameter("alg '" + alg.jwaName() + "' needs " + (alg.isEcdsa()
                    ? "an EC key on " + alg.curve().jwkName() : "an RSA key") + "; this key is " + (key.isRsa()
                            ? "RSA" : "EC on " + key.curve().jwkName()) + ".");
        }
    }

    private static void requireDigest(SignatureAlgorithm alg, byte[] digest) {
        if (digest.length != alg.digestLength()) {
            throw VaultObjectException.badParameter("The digest is " + digest.length + " bytes: " + alg.jwaName()
                    + " signs a " + alg.hash() + " digest of exactly " + alg.digestLength() + " bytes.");
        }
    }

    private static int modulusBytes(KeyMaterial key) {
        return (((RSAKey) key.publicKey()).getModulus().bitLength() + 7) / 8;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** DER {@code SEQUENCE {r, s}} to JWS's {@code r||s}, each left-padded to {@code half} bytes. */
    static byte[] derToRaw(byte[] der, int half) {
        ASN1Sequence seq = ASN1Sequence.getInstance(der);
        byte[] out = new byte[2 * half];
        System.arraycopy(KeyMaterial.fixed(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), half), 0, out, 0,
                half);
        System.arraycopy(KeyMaterial.fixed(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue(), half), 0, out,
                half, half);
        return out;
    }

    static byte[] rawToDer(byte[] raw) throws java.security.SignatureException {
        int half = raw.length / 2;
        try {
            return new DERSequence(new ASN1Integer[] {
                    new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, half))),
                    new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length)))}).getEncoded();
        } catch (java.io.IOException e) {
            throw new java.security.SignatureException("cannot encode the signature");
        }
    }
}
