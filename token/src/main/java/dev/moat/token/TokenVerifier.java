package dev.moat.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.moat.token.Verification.Reason;
import dev.moat.token.Verification.Refused;
import dev.moat.token.Verification.Verified;

/**
 * Verifies bearer JWTs: RS256 only, {@code iss} of a {@link TrustedIssuer} and signed by one of that issuer's keys,
 * {@code aud} one of the expected audiences, {@code exp} present and {@code exp}/{@code nbf} within the clock skew.
 * The cheap checks (shape, algorithm, issuer) come first, so that a foreign or forged token never makes keys be
 * fetched. A verified token is remembered by its exact text until it expires (at most {@code maxCachedTokens} of
 * them), because checking an RS256 signature costs more than the rest of a request; a remembered token is still
 * checked against each request's expectation and the clock. Refused tokens are never remembered. Tokens are never
 * logged nor echoed in messages.
 */
public final class TokenVerifier {

    /** A sensible size for the cache of verified tokens: one per caller and audience in the last hour or so. */
    public static final int DEFAULT_CACHE_SIZE = 1024;

    /** However late a token expires, it is verified again after this long. */
    private static final Duration LONGEST_KEPT = Duration.ofHours(24);

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class);

    /** Reads header and claims without checking anything, to choose the issuer and key. */
    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();

    private final Duration clockSkew;
    private final Clock clock;
    private final Cache<String, Claims> verified;

    /**
     * @param clockSkew tolerated difference between the issuer's clock and ours, for {@code exp} and {@code nbf}
     * @param maxCachedTokens how many verified tokens to remember; 0 remembers none
     */
    public TokenVerifier(Duration clockSkew, int maxCachedTokens, Clock clock) {
        this.clockSkew = clockSkew;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxCachedTokens)
                .expireAfter(new UntilExpiry())
                .executor(Runnable::run)
                .build();
    }

    public Verification verify(String token, Expectation expected) {
        Instant now = clock.instant();
        Claims remembered = verified.getIfPresent(token);
        if (remembered != null && stillAccepted(remembered, expected, now)) {
            return new Verified(remembered);
        }
        Verification verification = verifyFully(token, expected, now);
        if (verification instanceof Verified ok) {
            verified.put(token, ok.claims());
        }
        return verification;
    }

    /** How many verified tokens are remembered now. */
    long cachedTokens() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    /** The cheap re-check of a remembered token: any doubt sends it through the full verification again. */
    private boolean stillAccepted(Claims claims, Expectation expected, Instant now) {
        return claims.trustedIssuer().equals(issuerOf(expected, claims.issuer(), claims.tenantId()))
                && claims.audiences().stream().anyMatch(expected.audiences()::contains)
                && now.isBefore(claims.expiresAt().plus(clockSkew))
                && (claims.notBefore() == null || !now.plus(clockSkew).isBefore(claims.notBefore()));
    }

    private Verification verifyFully(String token, Expectation expected, Instant now) {
        JwtContext context;
        JwtClaims claims;
        try {
            context = UNVERIFIED.process(token);
            claims = context.getJwtClaims();
        } catch (InvalidJwtException e) {
            return refused(Reason.MALFORMED, "The token is not a well-formed JWT.", "");
        }
        List<JsonWebStructure> structures = context.getJoseObjects();
        if (structures.size() != 1 || !(structures.get(0) instanceof JsonWebSignature jws)) {
            return refused(Reason.MALFORMED, "The token is not a signed JWT.", "");
        }
        String algorithm = jws.getAlgorithmHeaderValue();
        if (!AlgorithmIdentifiers.RSA_USING_SHA256.equals(algorithm)) {
            return refused(Reason.NOT_RS256, "The token is signed with '" + shown(algorithm)
                    + "'; only RS256 is accepted.", shown(algorithm));
        }
        String iss;
        String tid;
        try {
            iss = claims.getIssuer();
            tid = claims.getClaimValueAsString("tid");
        } catch (MalformedClaimException e) {
            return refused(Reason.MALFORMED, "The token has a malformed claim.", "");
        }
        if (iss == null) {
            return refused(Reason.MALFORMED, "The token has no 'iss' claim.", "");
        }
        TrustedIssuer issuer = issuerOf(expected, iss, tid);
        if (issuer == null) {
            return refused(Reason.UNTRUSTED_ISSUER, "The token is from an issuer that is not trusted here: '"
                    + shown(iss) + "'" + (tid == null || tid.isBlank() ? " (and it has no 'tid' claim)" : "") + ".",
                    shown(iss));
        }
        List<PublicJsonWebKey> candidates;
        try {
            candidates = issuer.keys().candidates(jws.getKeyIdHeaderValue());
        } catch (KeysUnavailableException e) {
            return new Verification.KeysUnavailable(e.getMessage());
        }
        if (candidates.isEmpty()) {
            return refused(Reason.UNKNOWN_KEY, "The token is signed by a key its issuer does not publish.", "");
        }
        JwtConsumerBuilder consumer = new JwtConsumerBuilder()
                .setEvaluationTime(NumericDate.fromMilliseconds(now.toEpochMilli()))
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds((int) clockSkew.toSeconds())
                .setExpectedIssuer(iss)
                .setExpectedAudience(true, expected.audiences().toArray(String[]::new))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256);
        if (candidates.size() == 1) {
            consumer.setVerificationKey(candidates.get(0).getPublicKey());
        } else {
            JwksVerificationKeyResolver resolver = new JwksVerificationKeyResolver(List.copyOf(candidates));
            resolver.setDisambiguateWithVerifySignature(true);
            consumer.setVerificationKeyResolver(resolver);
        }
        try {
            consumer.build().processContext(context);
            return new Verified(new Claims(iss, issuer, tid, objectId(claims), applicationId(claims), roles(claims),
                    claims.getAudience(), instant(claims.getNotBefore()), instant(claims.getExpirationTime()),
                    texts(claims)));
        } catch (InvalidJwtException e) {
            return failure(e, claims, expected);
        } catch (MalformedClaimException e) {
            return refused(Reason.MALFORMED, "The token has a malformed claim.", "");
        }
    }

    private static TrustedIssuer issuerOf(Expectation expected, String iss, String tid) {
        for (TrustedIssuer issuer : expected.issuers()) {
            if (issuer.issued(iss, tid)) {
                return issuer;
            }
        }
        return null;
    }

    private static Refused failure(InvalidJwtException e, JwtClaims claims, Expectation expected) {
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)
                || e.getCause() instanceof JoseException) {
            return refused(Reason.BAD_SIGNATURE, "The token's signature does not verify with its issuer's keys.", "");
        }
        if (e.hasExpired()) {
            return refused(Reason.EXPIRED, "The token has expired.", "");
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return refused(Reason.NOT_YET_VALID, "The token is not valid yet (its 'nbf' is in the future).", "");
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            String found = audience(claims);
            return refused(Reason.WRONG_AUDIENCE, "The token is for the audience '" + found + "', not '"
                    + expected.namedAudience() + "'.", found);
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return refused(Reason.MALFORMED, "The token has no 'exp' claim.", "");
        }
        LOG.debugf("Token refused, jose4j error codes %s",
                e.getErrorDetails().stream().map(d -> String.valueOf(d.getErrorCode())).toList());
        return refused(Reason.MALFORMED, "The token is not valid.", "");
    }

    private static String objectId(JwtClaims claims) throws MalformedClaimException {
        String oid = claims.getClaimValueAsString("oid");
        if (oid == null || oid.isBlank()) {
            oid = claims.getSubject();
        }
        return oid == null || oid.isBlank() ? null : oid;
    }

    private static String applicationId(JwtClaims claims) {
        String appid = claims.getClaimValueAsString("appid");
        return appid != null ? appid : claims.getClaimValueAsString("azp");
    }

    private static List<String> roles(JwtClaims claims) {
        try {
            return claims.hasClaim("roles") ? claims.getStringListClaimValue("roles") : List.of();
        } catch (MalformedClaimException e) {
            return List.of();
        }
    }

    private static Map<String, String> texts(JwtClaims claims) {
        Map<String, String> texts = new HashMap<>();
        claims.getClaimsMap().forEach((name, value) -> {
            if (value instanceof String text) {
                texts.put(name, text);
            }
        });
        return texts;
    }

    private static Instant instant(NumericDate date) {
        return date == null ? null : Instant.ofEpochMilli(date.getValueInMillis());
    }

    private static String audience(JwtClaims claims) {
        try {
            return shown(String.join(" ", claims.getAudience()));
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

    private static Refused refused(Reason reason, String message, String found) {
        return new Refused(reason, message, found);
    }

    /** Forget a token once it has expired (the clock skew included): it could never be accepted again. */
    private final class UntilExpiry implements Expiry<String, Claims> {

        @Override
        public long expireAfterCreate(String token, Claims claims, long currentTime) {
            Duration left = Duration.between(clock.instant(), claims.expiresAt().plus(clockSkew));
            return left.isNegative() ? 0 : Math.min(left.toSeconds(), LONGEST_KEPT.toSeconds()) * 1_000_000_000L;
        }

        @Override
        public long expireAfterUpdate(String token, Claims claims, long currentTime, long currentDuration) {
            return expireAfterCreate(token, claims, currentTime);
        }

        @Override
        public long expireAfterRead(String token, Claims claims, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
