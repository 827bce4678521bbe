package dev.moat.vault.issuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import dev.moat.vault.auth.BuiltInIssuerKey;
import dev.moat.vault.tls.LocalCertificates;

/**
 * The built-in issuer's RSA key: the PEM file {@code moat.vault.token-issuer.signing-key-file} when set (replicas
 * share it, so that a token minted by one is accepted by all; it is never generated then), else
 * {@code ${moat.data-dir}/vault/issuer/signing-key.pem} (owner-only), made on first use. Its key id is the JWK
 * thumbprint, so it changes only when the key does.
 */
@ApplicationScoped
public class SigningKey implements BuiltInIssuerKey {

    private static final Logger LOG = Logger.getLogger(SigningKey.class);

    private final Path file;
    private final boolean generate;
    private volatile RsaJsonWebKey key;

    public SigningKey(@ConfigProperty(name = "moat.data-dir") String dataDir,
            @ConfigProperty(name = "moat.vault.token-issuer.signing-key-file") Optional<String> configured) {
        this.file = configured.map(Path::of).orElse(Path.of(dataDir, "vault", "issuer", "signing-key.pem"));
        this.generate = configured.isEmpty();
    }

    /** The key pair as a JWK with {@code kid}, {@code use=sig} and {@code alg=RS256}. */
    public RsaJsonWebKey jwk() {
        RsaJsonWebKey k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = load();
                }
                k = key;
            }
        }
        return k;
    }

    /** The public half, for verification and the JWKS endpoint. */
    @Override
    public PublicJsonWebKey publicJwk() {
        try {
            PublicJsonWebKey pub = PublicJsonWebKey.Factory.newPublicJwk(jwk().getPublicKey());
            pub.setKeyId(jwk().getKeyId());
            pub.setUse("sig");
            pub.setAlgorithm("RS256");
            return pub;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs {@code claims} as a compact JWS with RS256 and this key's {@code kid}.
     *
     * @param type the {@code typ} header, or null for none
     */
    public String sign(JwtClaims claims, String type) {
        RsaJsonWebKey k = jwk();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(k.getPrivateKey());
        jws.setKeyIdHeaderValue(k.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        if (type != null) {
            jws.setHeader("typ", type);
        }
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign with the issuer's key", e);
        }
    }

    private RsaJsonWebKey load() {
        try {
            RSAPrivateCrtKey privateKey;
            if (Files.exists(file)) {
                privateKey = (RSAPrivateCrtKey) LocalCertificates.readKey(file);
            } else if (!generate) {
                throw new IllegalStateException("moat.vault.token-issuer.signing-key-file: " + file + " does not exist "
                        + "(a configured signing key is shared by every replica and never generated)");
            } else {
                Files.createDirectories(file.getParent());
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                privateKey = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
                LocalCertificates.writeKey(file, privateKey);
                LOG.infof("generated the built-in token issuer's signing key in %s", file.toAbsolutePath());
            }
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            RsaJsonWebKey jwk = new RsaJsonWebKey(publicKey);
            jwk.setPrivateKey(privateKey);
            jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            return jwk;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the signing key " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare the signing key " + file, e);
        }
    }
}
