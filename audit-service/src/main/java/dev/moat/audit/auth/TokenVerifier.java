package dev.moat.audit.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

/**
 * Checks a bearer JWT: RS256 only, {@code iss} equal to the configured template with {@code {tenant}} replaced by
 * the token's {@code tid}, signed by one of the issuer's {@link JsonWebKeys}, {@code aud} the expected audience (with
 * or without a trailing {@code /}), {@code exp} present and {@code exp}/{@code nbf} within the clock skew. The cheap
 * checks (shape, algorithm, issuer) come first, so that a foreign or forged token never makes the keys be fetched.
 * Tokens are never logged, nor echoed in messages.
 */
public final class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class);
    private static final String INVALID = "InvalidAuthenticationToken";

    /** Reads header and claims without checking anything, to choose the key and the expected issuer. */
    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();

    /** The outcome of {@link #verify}. */
    public sealed interface Verification {

        record Verified(Caller caller) implements Verification {
        }

        /** @param code ARM's error code */
        record Rejected(String code, String message) implements Verification {
        }

        record KeysUnavailable(String message) implements Verification {
        }
    }

    private final String issuerTemplate;
    private final Set<String> audiences;
    private final int clockSkewSeconds;
    private final JsonWebKeys keys;

    /**
     * @param issuerTemplate the expected {@code iss}; {@code {tenant}} stands for the token's {@code tid}
     * @param audience the expected {@code aud}
     */
    public TokenVerifier(String issuerTemplate, String audience, int clockSkewSeconds, JsonWebKeys keys) {
        this.issuerTemplate = issuerTemplate;
        String bare = audience.endsWith("/") ? audience.substring(0, audience.length() - 1) : audience;
        this.audiences = new LinkedHashSet<>(List.of(bare, bare + "/"));
        this.clockSkewSeconds = clockSkewSeconds;
        this.keys = keys;
    }

    public Verification verify(String token) {
        JwtContext context;
        JwtClaims claims;
        try {
            context = UNVERIFIED.process(token);
            claims = context.getJwtClaims();
        } catch (InvalidJwtException e) {
            return rejected("The access token is not a well-formed JWT.");
        }
        List<JsonWebStructure> structures = context.getJoseObjects();
        if (structures.size() != 1 || !(structures.get(0) instanceof JsonWebSignature jws)) {
            return rejected("The access token is not a signed JWT.");
        }
        String algorithm = jws.getAlgorithmHeaderValue();
        if (!AlgorithmIdentifiers.RSA_USING_SHA256.equals(algorithm)) {
            return rejected("The access token is signed with '" + shown(algorithm) + "'; only RS256 is accepted.");
        }
        String expectedIssuer;
        Caller caller;
        try {
            String tid = claims.getClaimValueAsString("tid");
            if (issuerTemplate.contains("{tenant}") && (tid == null || tid.isBlank())) {
                return rejected("The access token has no 'tid' claim, so its issuer cannot be checked.");
            }
            expectedIssuer = issuerTemplate.replace("{tenant}", tid == null ? "" : tid);
            if (!expectedIssuer.equals(claims.getIssuer())) {
                return rejected("The access token is from the wrong issuer '" + shown(claims.getIssuer())
                        + "': expected '" + expectedIssuer + "'.");
            }
            caller = caller(claims, tid);
        } catch (MalformedClaimException e) {
            return rejected("The access token has a malformed claim.");
        }
        List<RsaJsonWebKey> candidates;
        try {
            candidates = keys.candidates(jws.getKeyIdHeaderValue());
        } catch (JsonWebKeys.UnavailableException e) {
            return new Verification.KeysUnavailable(e.getMessage());
        }
        if (candidates.isEmpty()) {
            return rejected("The access token is signed by a key its issuer does not publish.");
        }
        JwksVerificationKeyResolver resolver = new JwksVerificationKeyResolver(List.copyOf(candidates));
        resolver.setDisambiguateWithVerifySignature(true);
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .setExpectedIssuer(expectedIssuer)
                .setExpectedAudience(true, audiences.toArray(String[]::new))
                .setVerificationKeyResolver(resolver)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();
        try {
            consumer.processContext(context);
        } catch (InvalidJwtException e) {
            return failure(e, claims);
        }
        if (caller == null) {
            return rejected("The access token names no caller: it has neither 'oid' nor 'sub'.");
        }
        return new Verification.Verified(caller);
    }

    private static Caller caller(JwtClaims claims, String tid) throws MalformedClaimException {
        String oid = claims.getClaimValueAsString("oid");
        if (oid == null || oid.isBlank()) {
            oid = claims.getSubject();
        }
        if (oid == null || oid.isBlank()) {
            return null;
        }
        String appid = claims.getClaimValueAsString("appid");
        return new Caller(tid, oid, appid != null ? appid : claims.getClaimValueAsString("azp"));
    }

    private Verification failure(InvalidJwtException e, JwtClaims claims) {
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return rejected("The access token's signature does not verify with its issuer's keys.");
        }
        if (e.hasExpired()) {
            return new Verification.Rejected("ExpiredAuthenticationToken",
                    "The access token has expired. Get a new token and retry.");
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return rejected("The access token is not valid yet (its 'nbf' is in the future).");
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return new Verification.Rejected("InvalidAuthenticationTokenAudience",
                    "The access token has been obtained for the wrong audience or resource '" + audience(claims)
                            + "'. It should exactly match '" + audiences.iterator().next() + "'.");
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return rejected("The access token has no 'exp' claim.");
        }
        LOG.debugf("Access token refused, jose4j error codes %s",
                e.getErrorDetails().stream().map(d -> String.valueOf(d.getErrorCode())).toList());
        return rejected("The access token is invalid.");
    }

    private static String audience(JwtClaims claims) {
        try {
            List<String> aud = claims.getAudience();
            return aud.isEmpty() ? "" : shown(String.join(" ", aud));
        } catch (MalformedClaimException e) {
            return "";
        }
    }

    /** A value taken from the token, shortened so that an answer never carries a large attacker-chosen text. */
    private static String shown(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 200 ? value : value.substring(0, 200) + "...";
    }

    private static Verification rejected(String message) {
        return new Verification.Rejected(INVALID, message);
    }
}
