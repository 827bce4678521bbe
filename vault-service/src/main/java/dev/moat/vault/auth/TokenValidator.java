package dev.moat.vault.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;

import dev.moat.vault.auth.Authentication.Authenticated;
import dev.moat.vault.auth.Authentication.Failed;
import dev.moat.vault.auth.Authentication.Failure;
import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.issuer.SigningKey;

/**
 * Validates bearer JWTs: RS256 only, signed by a trusted issuer's key, with that issuer's {@code iss}, one of the
 * expected audiences, and {@code exp}/{@code nbf} within the configured clock skew. Trusted issuers are the built-in
 * issuer (when enabled) and {@code moat.vault.auth.issuers.*}; each key only vouches for its own issuer. Tokens are
 * never logged.
 */
@ApplicationScoped
public class TokenValidator {

    private static final Logger LOG = Logger.getLogger(TokenValidator.class);
    private static final String BEARER = "Bearer ";

    /** A trusted issuer: which {@code iss} it uses and where its keys are. */
    private record TrustedIssuer(String name, String issuerTemplate, VerificationKeyResolver keys) {

        /** {@code {tenant}} in the template stands for the token's {@code tid}. */
        boolean issued(String iss, String tid) {
            if (issuerTemplate.contains("{tenant}")) {
                return tid != null && !tid.isEmpty() && iss.equals(issuerTemplate.replace("{tenant}", tid));
            }
            return iss.equals(issuerTemplate);
        }
    }

    private final VaultConfig config;
    private final SigningKey builtInKey;
    private final List<TrustedIssuer> configured;
    private final int clockSkewSeconds;

    public TokenValidator(VaultConfig config, SigningKey builtInKey) {
        this.config = config;
        this.builtInKey = builtInKey;
        this.clockSkewSeconds = (int) config.auth().clockSkew().toSeconds();
        List<TrustedIssuer> issuers = new ArrayList<>();
        config.auth().issuers().forEach((name, issuer) -> issuers.add(
                new TrustedIssuer(name, issuer.issuer(), resolver(name, issuer.jwks()))));
        this.configured = List.copyOf(issuers);
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param audiences the audiences this plane accepts
     * @param endpoint the request's public endpoint (the built-in issuer's {@code iss} is derived from it)
     */
    public Authentication validate(String authorization, Set<String> audiences, Endpoint endpoint) {
        if (authorization == null || authorization.isBlank()) {
            return new Failed(Failure.MISSING, "Request is missing a Bearer or PoP token.");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new Failed(Failure.MISSING, "Request is missing a Bearer or PoP token: the Authorization header "
                    + "does not use the Bearer scheme.");
        }
        String token = authorization.substring(BEARER.length()).trim();
        JwtContext context;
        String iss;
        String tid;
        try {
            context = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().process(token);
            JwtClaims claims = context.getJwtClaims();
            iss = claims.getIssuer();
            tid = claims.getClaimValueAsString("tid");
        } catch (InvalidJwtException | MalformedClaimException e) {
            return new Failed(Failure.MALFORMED, "The token is not a well-formed JWT.");
        }
        if (iss == null) {
            return new Failed(Failure.MALFORMED, "The token has no 'iss' claim.");
        }
        TrustedIssuer issuer = trustedIssuer(iss, tid, endpoint);
        if (issuer == null) {
            return new Failed(Failure.WRONG_ISSUER, "Invalid issuer '" + iss + "': not a trusted token issuer.");
        }
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .setExpectedIssuer(iss)
                .setExpectedAudience(true, audiences.toArray(String[]::new))
                .setVerificationKeyResolver(issuer.keys())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();
        try {
            consumer.processContext(context);
            JwtClaims claims = context.getJwtClaims();
            String oid = claims.getClaimValueAsString("oid");
            if (oid == null) {
                oid = claims.getSubject();
            }
            if (oid == null || oid.isBlank()) {
                return new Failed(Failure.MALFORMED, "The token names no caller: it has neither 'oid' nor 'sub'.");
            }
            String appid = claims.getClaimValueAsString("appid");
            if (appid == null) {
                appid = claims.getClaimValueAsString("azp");
            }
            return new Authenticated(new Identity(tid, oid, appid, iss));
        } catch (InvalidJwtException e) {
            return failure(e, audiences);
        } catch (MalformedClaimException e) {
            return new Failed(Failure.MALFORMED, "The token has a malformed claim.");
        }
    }

    private TrustedIssuer trustedIssuer(String iss, String tid, Endpoint endpoint) {
        if (config.tokenIssuer().enabled() && tid != null && iss.equals(endpoint.builtInIssuer(tid))) {
            return new TrustedIssuer("built-in", iss, new JwksVerificationKeyResolver(List.of(builtInKey.publicJwk())));
        }
        for (TrustedIssuer issuer : configured) {
            if (issuer.issued(iss, tid)) {
                return issuer;
            }
        }
        return null;
    }

    private static Failed failure(InvalidJwtException e, Set<String> audiences) {
        if (e.hasExpired()) {
            return new Failed(Failure.EXPIRED, "The token is expired.");
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return new Failed(Failure.NOT_YET_VALID, "The token is not valid yet (nbf is in the future).");
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return new Failed(Failure.WRONG_AUDIENCE,
                    "Invalid audience. Expected " + audiences.iterator().next() + ", found: " + audience(e) + ".");
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)
                || e.getCause() instanceof JoseException) {
            return new Failed(Failure.BAD_SIGNATURE, "The token's signature is not valid for its issuer.");
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return new Failed(Failure.MALFORMED, "The token has no 'exp' claim.");
        }
        LOG.debugf("token refused: %s", e.getErrorDetails().isEmpty() ? "unknown" : e.getErrorDetails().get(0).getErrorMessage());
        return new Failed(Failure.BAD_SIGNATURE, "The token is not valid.");
    }

    private static String audience(InvalidJwtException e) {
        try {
            List<String> aud = e.getJwtContext().getJwtClaims().getAudience();
            return aud.isEmpty() ? "none" : String.join(" ", aud);
        } catch (MalformedClaimException | RuntimeException ex) {
            return "none";
        }
    }

    private static final Pattern URL = Pattern.compile("(?i)https?://.*");

    private static VerificationKeyResolver resolver(String name, String jwks) {
        if (URL.matcher(jwks).matches()) {
            return new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwks));
        }
        try {
            return new JwksVerificationKeyResolver(new JsonWebKeySet(Files.readString(Path.of(jwks))).getJsonWebKeys());
        } catch (IOException e) {
            throw new UncheckedIOException("moat.vault.auth.issuers." + name + ".jwks: cannot read '" + jwks + "'", e);
        } catch (JoseException e) {
            throw new IllegalArgumentException("moat.vault.auth.issuers." + name + ".jwks: '" + jwks
                    + "' is not a JWKS document", e);
        }
    }
}
