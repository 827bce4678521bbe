package dev.moat.policy.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.moat.policy.admin.Actor;
import dev.moat.proto.policy.v1.DecisionServiceGrpc;
import dev.moat.proto.policy.v1.NetworkPolicyAdminGrpc;
import dev.moat.proto.policy.v1.RuleSetEvaluationGrpc;
import dev.moat.token.Bearer;
import dev.moat.token.Claims;
import dev.moat.token.Expectation;
import dev.moat.token.KeySet;
import dev.moat.token.TokenVerifier;
import dev.moat.token.TrustedIssuer;
import dev.moat.token.Verification;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Lets a gRPC call in only with a valid bearer JWT (RS256, issuer, audience, expiry: the shared
 * {@link TokenVerifier}, which also remembers verified tokens until they expire) whose {@code roles} claim holds
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

    private final boolean enabled;
    private final TokenVerifier verifier;
    private final Expectation expected;

    public CallerAuthInterceptor(AuthConfig config) {
        this.enabled = config.enabled();
        if (!enabled) {
            LOG.warn("moat.policy.auth.enabled=false: every caller may decide and administer. Never do this in production.");
            this.verifier = null;
            this.expected = null;
            return;
        }
        String location = config.publicKeyLocation().orElseThrow(() -> new IllegalStateException(
                "moat.policy.auth.public-key-location is required (or set moat.policy.auth.enabled=false)"));
        KeySet key;
        try {
            key = KeySet.fromPem(Path.of(location));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("moat.policy.auth.public-key-location: " + e.getMessage(), e);
        }
        this.verifier = new TokenVerifier(config.clockSkew(), TokenVerifier.DEFAULT_CACHE_SIZE, Clock.systemUTC());
        this.expected = new Expectation(List.of(new TrustedIssuer("moat", config.issuer(), key)),
                Set.of(config.audience()));
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
        String token = Bearer.token(headers.get(AUTHORIZATION));
        if (token == null) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription("a bearer token is required"));
        }
        Verification verification = verifier.verify(token, expected);
        if (!(verification instanceof Verification.Verified verified)) {
            // the reason, never the token
            return refuse(call, Status.UNAUTHENTICATED.withDescription("the bearer token is not valid: "
                    + (verification instanceof Verification.Refused refused ? refused.message() : "unreadable")));
        }
        Claims claims = verified.claims();
        if (!claims.roles().contains(required.claim())) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(
                    "role " + required.claim() + " is required for " + call.getMethodDescriptor().getServiceName()));
        }
        Actor actor = new Actor(orEmpty(claims.tenantId()), orEmpty(claims.objectId()),
                orEmpty(claims.applicationId()));
        return Contexts.interceptCall(Context.current().withValue(ACTOR, actor), call, headers, next);
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

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
