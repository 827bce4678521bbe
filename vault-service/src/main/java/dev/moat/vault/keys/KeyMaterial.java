package dev.moat.vault.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

import dev.moat.vault.objects.VaultObjectException;

/**
 * An asymmetric key pair held by a vault: generated, imported from a JWK, or opened from its sealed PKCS#8 form. It
 * exposes the public JWK; the private key is used only by {@link KeyCrypto} and leaves only as PKCS#8 bytes to be
 * sealed (the caller zeroes them).
 */
public final class KeyMaterial {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair pair;
    private final Curve curve;

    private KeyMaterial(KeyPair pair, Curve curve) {
        this.pair = pair;
        this.curve = curve;
    }

    public static KeyMaterial generateRsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), RANDOM);
            return new KeyMaterial(generator.generateKeyPair(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is not available", e);
        }
    }

    public static KeyMaterial generateEc(Curve curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(curve.parameters(), RANDOM);
            return new KeyMaterial(generator.generateKeyPair(), curve);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC key generation on " + curve.jwkName() + " is not available", e);
        }
    }

    /** Opens what {@link #pkcs8()} produced, with the public key stored beside it. */
    public static KeyMaterial of(byte[] pkcs8, byte[] publicKey) {
        try {
            boolean rsa = isRsa(publicKey);
            KeyFactory factory = KeyFactory.getInstance(rsa ? "RSA" : "EC");
            PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(publicKey));
            return new KeyMaterial(new KeyPair(pub, priv),
                    rsa ? null : Curve.of(((ECPublicKey) pub).getParams()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored key material does not decode: " + e.getClass().getSimpleName());
        }
    }

    /**
     * A key pair read from a certificate file. It must be one Key Vault holds (RSA 2048/3072/4096, EC P-256/384/521)
     * and the two halves must belong together.
     *
     * @throws VaultObjectException 400 naming the rule
     */
    public static KeyMaterial fromPair(PublicKey publicKey, PrivateKey privateKey) {
        KeyMaterial material;
        if (publicKey instanceof RSAPublicKey rsa) {
            if (!KeyRules.RSA_SIZES.contains(rsa.getModulus().bitLength())) {
                throw VaultObjectException.badParameter("The certificate's key is a " + rsa.getModulus().bitLength()
                        + "-bit RSA key: an RSA key is 2048, 3072 or 4096 bits.");
            }
            material = new KeyMaterial(new KeyPair(publicKey, privateKey), null);
        } else if (publicKey instanceof ECPublicKey ec) {
            material = new KeyMaterial(new KeyPair(publicKey, privateKey),
                    Curve.of(ec.getParams()));
        } else {
            throw VaultObjectException.badParameter("The certificate's key is " + publicKey.getAlgorithm() + ": a "
                    + "certificate's key is RSA or EC.");
        }
        if (!KeyCrypto.pairMatches(material)) {
            throw VaultObjectException.badParameter("The private key does not belong to the certificate's public key.");
        }
        return material;
    }

    /** Only the public half of a stored key (from its X.509 DER), to describe it; it cannot decrypt or sign. */
    public static KeyMaterial publicOnly(byte[] publicKey) {
        try {
            boolean rsa = isRsa(publicKey);
            PublicKey pub = KeyFactory.getInstance(rsa ? "RSA" : "EC").generatePublic(new X509EncodedKeySpec(publicKey));
            return new KeyMaterial(new KeyPair(pub, null),
                    rsa ? null : Curve.of(((ECPublicKey) pub).getParams()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored public key does not decode: " + e.getClass().getSimpleName());
        }
    }

    /**
     * A key pair from an imported JWK, which must hold the private key. The pair is checked to match (a signature of
     * the private key verifies under the public one), so a JWK with mismatched parts is refused, not stored.
     *
     * @throws VaultObjectException 400 naming the field and the rule
     */
    public static KeyMaterial fromJwk(JsonWebKey jwk) {
        String kty = jwk.kty();
        if (kty == null) {
            throw VaultObjectException.badParameter("key.kty is missing: an imported key is a JWK with kty RSA or EC.");
        }
        KeyMaterial material = switch (kty) {
            case "RSA" -> rsaFromJwk(jwk);
            case "EC" -> ecFromJwk(jwk);
            case "RSA-HSM", "EC-HSM", "oct-HSM" -> throw VaultObjectException.badParameter("key.kty '" + kty + "' is not "
                    + "supported: Moat holds software-protected keys only (kty RSA or EC).");
            default -> throw VaultObjectException.badParameter("key.kty '" + KeyRules.shown(kty) + "' is not supported: an "
                    + "imported key is RSA or EC.");
        };
        if (!KeyCrypto.pairMatches(material)) {
            throw VaultObjectException.badParameter("The imported key's private and public parts do not belong together "
                    + "(a signature made with the private key does not verify with the public one).");
        }
        return material;
    }

    private static KeyMaterial rsaFromJwk(JsonWebKey jwk) {
        BigInteger n = integer(jwk.n(), "key.n", true);
        BigInteger e = integer(jwk.e(), "key.e", true);
        BigInteger d = integer(jwk.d(), "key.d", false);
        if (d == null) {
            throw VaultObjectException.badParameter("key.d is missing: an imported RSA key must carry its private key "
                    + "(d, and optionally p, q, dp, dq, qi).");
        }
        if (!KeyRules.RSA_SIZES.contains(n.bitLength())) {
            throw VaultObjectException.badParameter("key.n is a " + n.bitLength() + "-bit modulus: an RSA key is 2048, 3072 "
                    + "or 4096 bits.");
        }
        BigInteger p = integer(jwk.p(), "key.p", false);
        BigInteger q = integer(jwk.q(), "key.q", false);
        BigInteger dp = integer(jwk.dp(), "key.dp", false);
        BigInteger dq = integer(jwk.dq(), "key.dq", false);
        BigInteger qi = integer(jwk.qi(), "key.qi", false);
        boolean crt = p != null && q != null && dp != null && dq != null && qi != null;
        if (crt && !p.multiply(q).equals(n)) {
            throw VaultObjectException.badParameter("key.p times key.q is not key.n: the RSA factors do not match the "
                    + "modulus.");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            PublicKey pub = factory.generatePublic(new RSAPublicKeySpec(n, e));
            PrivateKey priv = factory.generatePrivate(crt ? new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qi)
                    : new RSAPrivateKeySpec(n, d));
            return new KeyMaterial(new KeyPair(pub, priv), null);
        } catch (GeneralSecurityException ex) {
            throw VaultObjectException.badParameter("The RSA key's parameters are not a valid RSA key ("
                    + ex.getClass().getSimpleName() + ").");
        }
    }

    private static KeyMaterial ecFromJwk(JsonWebKey jwk) {
        Curve curve = Curve.of(jwk.crv());
        byte[] x = bytes(jwk.x(), "key.x", true);
        byte[] y = bytes(jwk.y(), "key.y", true);
        byte[] d = bytes(jwk.d(), "key.d", false);
        if (d == null) {
            throw VaultObjectException.badParameter("key.d is missing: an imported EC key must carry its private key (d).");
        }
        try {
            requireLength(x, "key.x", curve);
            requireLength(y, "key.y", curve);
            requireLength(d, "key.d", curve);
            ECParameterSpec params = curve.parameters();
            KeyFactory factory = KeyFactory.getInstance("EC");
            PublicKey pub = factory.generatePublic(new ECPublicKeySpec(
                    new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), params));
            PrivateKey priv = factory.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, d), params));
            return new KeyMaterial(new KeyPair(pub, priv), curve);
        } catch (GeneralSecurityException ex) {
            throw VaultObjectException.badParameter("key.x and key.y are not a point of " + curve.jwkName() + " ("
                    + ex.getClass().getSimpleName() + ").");
        } finally {
            Arrays.fill(d, (byte) 0);
        }
    }

    private static void requireLength(byte[] value, String field, Curve curve) {
        if (value.length != curve.coordinateBytes()) {
            throw VaultObjectException.badParameter(field + " is " + value.length + " bytes: on " + curve.jwkName()
                    + " it is exactly " + curve.coordinateBytes() + " bytes.");
        }
    }

    public boolean isRsa() {
        return curve == null;
    }

    /** {@code RSA} or {@code EC}. */
    public String kty() {
        return isRsa() ? "RSA" : "EC";
    }

    /** The curve of an EC key; null for RSA. */
    public Curve curve() {
        return curve;
    }

    /** The RSA modulus size in bits; 0 for EC. */
    public int rsaBits() {
        return isRsa() ? ((RSAPublicKey) pair.getPublic()).getModulus().bitLength() : 0;
    }

    public PublicKey publicKey() {
        return pair.getPublic();
    }

    /** The private key, to sign a certificate or write its PFX; never returned by the REST API or logged. */
    public PrivateKey privateKey() {
        return pair.getPrivate();
    }

    /** X.509 SubjectPublicKeyInfo DER of the public key (not secret; stored in the clear). */
    public byte[] publicKeyDer() {
        return pair.getPublic().getEncoded();
    }

    /** PKCS#8 DER of the private key, to be sealed at once; the caller zeroes the array. */
    public byte[] pkcs8() {
        return pair.getPrivate().getEncoded();
    }

    /** The public JWK with the given {@code key_ops}: {@code n}/{@code e}, or {@code crv}/{@code x}/{@code y}. */
    public JsonWebKey publicJwk(List<KeyOperation> ops) {
        List<String> names = ops.stream().map(KeyOperation::jwkName).toList();
        if (isRsa()) {
            RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
            return JsonWebKey.rsaPublic(names, Base64Url.encode(unsigned(pub.getModulus())),
                    Base64Url.encode(unsigned(pub.getPublicExponent())));
        }
        ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
        return JsonWebKey.ecPublic(names, curve.jwkName(),
                Base64Url.encode(fixed(w.getAffineX(), curve.coordinateBytes())),
                Base64Url.encode(fixed(w.getAffineY(), curve.coordinateBytes())));
    }

    private static boolean isRsa(byte[] spki) {
        try {
            KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Big-endian without the sign byte. */
    static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** Big-endian, left-padded with zeros to {@code length}. */
    static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = unsigned(value);
        if (bytes.length == length) {
            return bytes;
        }
        byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
        return out;
    }

    private static BigInteger integer(String base64url, String field, boolean required) {
        byte[] bytes = bytes(base64url, field, required);
        if (bytes == null) {
            return null;
        }
        try {
            return new BigInteger(1, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static byte[] bytes(String base64url, String field, boolean required) {
        if (base64url == null) {
            if (required) {
                throw VaultObjectException.badParameter(field + " is missing from the imported JWK.");
            }
            return null;
        }
        byte[] bytes = Base64Url.decode(base64url, field);
        if (bytes.length == 0) {
            throw VaultObjectException.badParameter(field + " is empty.");
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + kty() + (isRsa() ? " " + rsaBits() : " " + curve.jwkName()) + ", private redacted]";
    }

    /** A new key as a create request asks for it: RSA (2048 by default) or EC (P-256 by default). */
    static KeyMaterial generate(KeyCreate request) {
        String kty = request.kty();
        if (kty == null) {
            throw VaultObjectException.badParameter("The request has no 'kty': creating a key needs kty RSA or EC.");
        }
        return switch (kty) {
            case "RSA" -> {
                if (request.crv() != null) {
                    throw VaultObjectException.badParameter("crv '" + KeyRules.shown(request.crv()) + "' is given for an RSA "
                            + "key: crv is for kty EC only.");
                }
                if (request.publicExponent() != null && request.publicExponent() != 0
                        && request.publicExponent() != 65537) {
                    throw VaultObjectException.badParameter("public_exponent " + request.publicExponent() + " is not "
                            + "supported: RSA keys are created with the exponent 65537.");
                }
                yield KeyMaterial.generateRsa(KeyRules.rsaSize(request.keySize()));
            }
            case "EC" -> {
                if (request.keySize() != null && request.keySize() != 0) {
                    throw VaultObjectException.badParameter("key_size " + request.keySize() + " is given for an EC key: an EC "
                            + "key's size is its curve (crv).");
                }
                yield KeyMaterial.generateEc(request.crv() == null ? Curve.P_256 : Curve.of(request.crv()));
            }
            case "RSA-HSM", "EC-HSM", "oct-HSM", "oct" -> throw VaultObjectException.badParameter("kty '" + kty + "' is not "
                    + "supported: Moat holds software-protected keys only (kty RSA or EC).");
            default -> throw VaultObjectException.badParameter("kty '" + KeyRules.shown(kty) + "' is not a key type: use RSA "
                    + "or EC.");
        };
    }
}
