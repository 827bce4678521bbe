package dev.moat.policy.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import dev.moat.policy.admin.Actor;
import dev.moat.proto.policy.v1.DecisionServiceGrpc;
import dev.moat.proto.policy.v1.NetworkPolicyAdminGrpc;
import dev.moat.proto.policy.v1.RuleSetEvaluationGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Lets a gRPC call in only with a valid bearer JWT (RS256, issuer, audience, expiry) whose {@code roles} claim holds
 * the role of the service called: {@code Policy.Check} for DecisionService, {@code Policy.Admin} for
 * NetworkPolicyAdmin, {@code Policy.Evaluate} for RuleSetEvaluation. Health and reflection stay open. The caller becomes the {@link Actor} of the call.
 */
@GlobalInterceptor
@ApplicationScoped
public class CallerAuthInterceptor implements ServerInterceptor {

    /** The authenticated caller of the current call. */
    public static final Context.Key<Actor> ACTOR = Context.key("moat-actor");

    private static final Logger LOG = Logger.getLogger(CallerAuthInterceptor.class);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** Verified tokens are remembered until they expire: verifying RS256 costs most of a Check otherwise. */
    private static final int MAX_CACHED_TOKENS = 1024;

    private final boolean enabled;
    private final JwtConsumer consumer;
    private final long clockSkewSeconds;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(List<String> roles, Actor actor, long expiresAtEpochSecond) {
    }

    public CallerAuthInterceptor(AuthConfig config) {
        this.enabled = config.enabled();
        this.clockSkewSeconds = config.clockSkew().toSeconds();
        if (!enabled) {
            LOG.warn("moat.policy.auth.enabled=false: every caller may decide and administer. Never do this in production.");
            this.consumer = null;
            return;
        }
        String location = config.publicKeyLocation().orElseThrow(() -> new IllegalStateException(
                "moat.policy.auth.public-key-location is required (or set moat.policy.auth.enabled=false)"));
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(config.audience())
                .setVerificationKey(readPublicKey(Path.of(location)))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Role required = requiredRole(call.getMethodDescriptor().getServiceName());
        if (required == null) {
            return next.startCall(call, headers);
        }
        if (!enabled) {
            return Contexts.interceptCall(Context.current().withValue(ACTOR, Actor.UNKNOWN), call, headers, next);
        }
        String authorization = headers.get(AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription("a bearer token is required"));
        }
        Verified caller;
        try {
            caller = verify(authorization.substring(7).trim());
        } catch (InvalidJwtException e) {
            // the reason, never the token
            return refuse(call, Status.UNAUTHENTICATED.withDescription("the bearer token is not valid: "
                    + (e.getErrorDetails().isEmpty() ? "unreadable" : e.getErrorDetails().get(0).getErrorMessage())));
        }
        if (!caller.roles().contains(required.claim())) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(
                    "role " + required.claim() + " is required for " + call.getMethodDescriptor().getServiceName()));
        }
        Actor actor = caller.actor();
        return Contexts.interceptCall(Context.current().withValue(ACTOR, actor), call, headers, next);
    }

    private Verified verify(String token) throws InvalidJwtException {
        long now = System.currentTimeMillis() / 1000;
        Verified cached = verified.get(token);
        if (cached != null && now < cached.expiresAtEpochSecond() + clockSkewSeconds) {
            return cached;
        }
        JwtClaims claims = consumer.processToClaims(token);
        Actor actor = new Actor(string(claims, "tid"), firstNonEmpty(string(claims, "oid"), subject(claims)),
                firstNonEmpty(string(claims, "appid"), string(claims, "azp")));
        long expires;
        try {
            expires = claims.getExpirationTime().getValue();
        } catch (MalformedClaimException e) {
            throw new IllegalStateException("a verified token has no readable exp", e);
        }
        Verified result = new Verified(roles(claims), actor, expires);
        if (verified.size() >= MAX_CACHED_TOKENS) {
            verified.clear();
        }
        verified.put(token, result);
        return result;
    }

    /** The caller of the current gRPC call, or {@link Actor#UNKNOWN} outside of one. */
    public static Actor currentActor() {
        Actor actor = ACTOR.get();
        return actor == null ? Actor.UNKNOWN : actor;
    }

    static Role requiredRole(String service) {
        if (DecisionServiceGrpc.SERVICE_NAME.equals(service)) {
            return Role.CHECK;
        }
        if (NetworkPolicyAdminGrpc.SERVICE_NAME.equals(service)) {
            return Role.ADMIN;
        }
        if (RuleSetEvaluationGrpc.SERVICE_NAME.equals(service)) {
            return Role.EVALUATE;
        }
        return null;
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private static List<String> roles(JwtClaims claims) {
        try {
            return claims.hasClaim("roles") ? claims.getStringListClaimValue("roles") : List.of();
        } catch (MalformedClaimException e) {
            return List.of();
        }
    }

    private static String string(JwtClaims claims, String name) {
        Object value = claims.getClaimValue(name);
        return value instanceof String s ? s : "";
    }

    private static String subject(JwtClaims claims) {
        try {
            return claims.getSubject() == null ? "" : claims.getSubject();
        } catch (MalformedClaimException e) {
            return "";
        }
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    static PublicKey readPublicKey(Path pem) {
        try {
            String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read moat.policy.auth.public-key-location " + pem + ": " + e.getMessage(), e);
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(pem + " is not a PEM RSA public key (SubjectPublicKeyInfo)", e);
        }
    }
}
