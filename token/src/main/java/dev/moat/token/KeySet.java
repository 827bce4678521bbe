package dev.moat.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

/** The public keys of one trusted issuer: fixed ones, or those of a JWKS fetched on use ({@link JsonWebKeys}). */
@FunctionalInterface
public interface KeySet {

    /**
     * The keys that may have signed a token: those with its {@code kid} and those that have none, or all of them when
     * the token names none. Empty when no key may have signed it.
     *
     * @param kid the token's {@code kid} header, or null
     * @throws KeysUnavailableException when the keys cannot be had (the issuer is down or its JWKS is unusable)
     */
    List<PublicJsonWebKey> candidates(String kid) throws KeysUnavailableException;

    /** Fixed keys. */
    static KeySet of(List<PublicJsonWebKey> keys) {
        List<PublicJsonWebKey> fixed = List.copyOf(keys);
        return kid -> select(fixed, kid);
    }

    /**
     * An RSA public key in a PEM file (SubjectPublicKeyInfo), read now.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no RSA public key
     */
    static KeySet fromPem(Path pem) {
        try {
            String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return of(List.of(new RsaJsonWebKey(key)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(pem + " is not a PEM RSA public key (SubjectPublicKeyInfo)", e);
        }
    }

    /**
     * The RSA signing keys of a JWKS file, read now.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or is not a JWKS document
     */
    static KeySet fromJwksFile(Path jwks) {
        try {
            return of(signingKeys(Files.readString(jwks)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read '" + jwks + "'", e);
        } catch (JoseException e) {
            throw new IllegalArgumentException("'" + jwks + "' is not a JWKS document", e);
        }
    }

    /** The RSA keys of a JWKS document that may sign ({@code use} absent or {@code sig}). */
    static List<PublicJsonWebKey> signingKeys(String jwks) throws JoseException {
        return new JsonWebKeySet(jwks).getJsonWebKeys().stream()
                .filter(RsaJsonWebKey.class::isInstance).map(PublicJsonWebKey.class::cast)
                .filter(k -> k.getUse() == null || k.getUse().equals("sig"))
                .toList();
    }

    /** The rule of {@link #candidates}. */
    static List<PublicJsonWebKey> select(List<PublicJsonWebKey> keys, String kid) {
        return kid == null ? keys
                : keys.stream().filter(k -> k.getKeyId() == null || kid.equals(k.getKeyId())).toList();
    }
}
