package dev.moat.vault.pipeline;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.google.protobuf.Timestamp;

import dev.moat.outbox.EventIds;
import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.proto.events.v1.StagedFirewallDecision;
import dev.moat.proto.policy.v1.Caller;
import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.proto.policy.v1.Reason;
import dev.moat.vault.access.AccessPolicies;
import dev.moat.vault.auth.Authentication;
import dev.moat.vault.auth.Challenges;
import dev.moat.vault.auth.Endpoint;
import dev.moat.vault.auth.Endpoints;
import dev.moat.vault.auth.Identity;
import dev.moat.vault.auth.TokenValidator;
import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.events.DecisionPublisher;
import dev.moat.vault.events.DecisionSpool;
import dev.moat.vault.firewall.FirewallAnswer;
import dev.moat.vault.firewall.PolicyClient;
import dev.moat.vault.origin.OriginResolver;
import dev.moat.vault.origin.VaultHost;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultStore;

/**
 * The one path every data-plane operation takes: route to an existing vault, resolve the origin, authenticate, ask
 * the firewall, check the access policy, run the operation, publish the decision. (The origin is resolved before the
 * token only so that the events of refused tokens carry the caller's address too; it decides nothing by itself.)
 * Nothing of the operation runs before the checks allow it, and every request that reaches an existing vault
 * produces exactly one decision event.
 */
@ApplicationScoped
public class DataPlanePipeline {

    /** Response header carrying the decision id, which finds the request's audit event. */
    public static final String DECISION_ID_HEADER = "x-moat-decision-id";

    private static final Logger LOG = Logger.getLogger(DataPlanePipeline.class);
    /** The longest request path a decision event carries (the audit trail's column). */
    private static final int MAX_EVENT_PATH = 2048;

    private final VaultHost hosts;
    private final VaultStore vaults;
    private final TokenValidator tokens;
    private final Endpoints endpoints;
    private final Challenges challenges;
    private final OriginResolver origins;
    private final PolicyClient firewall;
    private final DecisionPublisher events;
    private final String instance;
    private final RefusalAnswers answers;
    private final boolean subnetHeaderBehindNat;

    public DataPlanePipeline(VaultConfig config, VaultStore vaults, TokenValidator tokens, Endpoints endpoints,
            Challenges challenges, PolicyClient firewall, DecisionPublisher events, RefusalAnswers answers) {
        this.hosts = new VaultHost(config.dnsSuffix());
        this.vaults = vaults;
        this.tokens = tokens;
        this.endpoints = endpoints;
        this.challenges = challenges;
        this.origins = new OriginResolver(config.firewall().trustedProxies().orElse(List.of()));
        this.firewall = firewall;
        this.events = events;
        this.instance = config.instanceId().orElseGet(DataPlanePipeline::hostName);
        this.answers = answers;
        this.subnetHeaderBehindNat = config.firewall().subnetHeaderBehindNat();
    }

    /**
     * Runs one data-plane request.
     *
     * @param operation the Key Vault operation, which names the permission the access policy must grant
     * @param body the operation itself, given the request's vault; called only when every check allowed the request.
     *        An exception it throws becomes Key Vault's 500 (logged, and in the event); it never escapes.
     */
    public Response run(DataPlaneRequest request, DataPlaneOperation operation, Function<Vault, Response> body) {
        return run(request, operation, (vault, caller) -> body.apply(vault));
    }

    /**
     * The same, for an operation that also needs the authenticated caller (as Key Vault names it in some refusals,
     * such as a key's "Operation is not allowed").
     */
    public Response run(DataPlaneRequest request, DataPlaneOperation operation,
            BiFunction<Vault, Identity, Response> body) {
        long started = System.nanoTime();
        Instant received = Instant.now();
        var vault = hosts.vaultOf(request.host()).flatMap(vaults::find);
        if (vault.isEmpty()) {
            return answers.answer(new Refusal.VaultNotFound(request.host()));
        }
        DecisionSpool.Ticket ticket = events.admit();
        if (ticket == null) {
            // the spool is full and set to reject: no request is served without its decision event
            return answers.answer(new Refusal.DecisionSpoolFull());
        }
        DecisionEvent.Builder event = newEvent(request, vault.get().name(), received)
                .setOperation(operation.operationName());

        Response response = decide(request, operation, vault.get(), event, body);
        return published(ticket, event, response, started);
    }

    /** Whether a Host header names a vault (existing or not): elsewhere the data plane has nothing to say. */
    public boolean isVaultHost(String hostHeader) {
        return hosts.vaultOf(hostHeader).isPresent();
    }

    /**
     * Answers a request refused for its size before any check (no token read, the firewall not asked) and records it,
     * when its host names an existing vault, as a denial at {@link Layer#LAYER_REQUEST}. Elsewhere the answer alone:
     * no vault's trail it belongs to.
     */
    public Response refuse(DataPlaneRequest request, Refusal.RequestTooLarge refusal) {
        long started = System.nanoTime();
        Instant received = Instant.now();
        var vault = hosts.vaultOf(request.host()).flatMap(vaults::find);
        if (vault.isEmpty()) {
            return answers.answer(refusal);
        }
        DecisionSpool.Ticket ticket = events.admit();
        if (ticket == null) {
            return answers.answer(new Refusal.DecisionSpoolFull());
        }
        DecisionEvent.Builder event = newEvent(request, vault.get().name(), received);
        try {
            event.setCallerIp(origins.resolve(request.peerAddress(), request.forwardedFor(), request.sourceSubnet())
                    .clientAddress());
        } catch (OriginResolver.InvalidOriginException e) {
            event.setCallerIp(request.peerAddress());
        }
        deny(event, Layer.LAYER_REQUEST, refusal.reason());
        return published(ticket, event, answers.answer(refusal), started);
    }

    /** An event's fields known on arrival. The path is cut to what the audit trail keeps (a 414's may be longer). */
    private DecisionEvent.Builder newEvent(DataPlaneRequest request, String vault, Instant received) {
        String path = request.path().length() > MAX_EVENT_PATH ? request.path().substring(0, MAX_EVENT_PATH)
                : request.path();
        return DecisionEvent.newBuilder()
                .setTime(Timestamp.newBuilder().setSeconds(received.getEpochSecond()).setNanos(received.getNano()))
                .setVault(vault)
                .setHttpMethod(request.method())
                .setRequestPath(path)
                .setSource(instance)
                .setCorrelationId(request.clientRequestId() != null ? request.clientRequestId() : UUID.randomUUID().toString());
    }

    /** Completes the event with the answer's status and the time taken, publishes it, and names it in the answer. */
    private Response published(DecisionSpool.Ticket ticket, DecisionEvent.Builder event, Response response,
            long started) {
        long elapsed = System.nanoTime() - started;
        event.setHttpStatus(response.getStatus())
                .setDuration(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(elapsed / 1_000_000_000L)
                        .setNanos((int) (elapsed % 1_000_000_000L)));
        if (event.getEventId().isEmpty()) {
            event.setEventId(EventIds.next());
        }
        DecisionEvent decided = event.build();
        events.publish(ticket, decided);
        return Response.fromResponse(response).header(DECISION_ID_HEADER, decided.getEventId()).build();
    }

    private Response decide(DataPlaneRequest request, DataPlaneOperation operation, Vault vault,
            DecisionEvent.Builder event, BiFunction<Vault, Identity, Response> body) {
        String name = vault.name();
        // The client address goes into every event, also of requests refused before the firewall.
        OriginResolver.Origin origin;
        try {
            origin = origins.resolve(request.peerAddress(), request.forwardedFor(), request.sourceSubnet());
        } catch (OriginResolver.InvalidOriginException e) {
            deny(event, Layer.LAYER_FIREWALL, e.getMessage());
            return answers.answer(new Refusal.BadOrigin(e.getMessage()));
        }
        event.setCallerIp(origin.clientAddress());

        Endpoint endpoint = endpoints.of(request.localPort());
        Authentication authentication = tokens.validate(request.authorization(), endpoint.dataPlaneAudiences(), endpoint);
        if (authentication instanceof Authentication.Failed failed) {
            deny(event, Layer.LAYER_AUTHENTICATION, failed.message());
            return answers.answer(new Refusal.Unauthenticated(keyVaultText(failed),
                    challenges.dataPlane(endpoint)));
        }
        Identity caller = ((Authentication.Authenticated) authentication).identity();
        event.setIdentity(dev.moat.proto.events.v1.Identity.newBuilder()
                .setTenantId(caller.tenantId())
                .setObjectId(caller.objectId())
                .setApplicationId(caller.applicationId()));

        FirewallAnswer answer = firewall.check(CheckRequest.newBuilder()
                .setVault(name)
                .setOperation(operation.operationName())
                .setClientAddress(origin.clientAddress())
                .setSourceSubnetId(origin.sourceSubnet())
                .setSourceSubnetBehindNat(subnetHeaderBehindNat)
                .setCaller(Caller.newBuilder()
                        .setTenantId(caller.tenantId())
                        .setObjectId(caller.objectId())
                        .setApplicationId(caller.applicationId()))
                .setCorrelationId(event.getCorrelationId())
                .build());
        if (answer instanceof FirewallAnswer.Unavailable unavailable) {
            deny(event, Layer.LAYER_FIREWALL, "firewall unavailable (" + unavailable.cause() + "): failed closed");
            return answers.answer(new Refusal.FirewallUnavailable());
        }
        CheckResponse decision = ((FirewallAnswer.Decided) answer).response();
        event.setEventId(decision.getDecisionId())
                .setIsAddressAuthorized(decision.getAllowed())
                .setAddressAuthorizationType(authorizationType(decision.getReason()))
                .setMatchedRule(decision.getMatchedRule())
                .setSubnetId(decision.getResolvedSubnetId())
                .setSubnetLacksKeyVaultEndpoint(decision.getResolvedSubnetLacksKeyVaultEndpoint())
                .setTrustedService(decision.getTrustedService());
        if (decision.hasStaged()) {
            // the vault's audit-only rules: recorded beside the enforced answer, never enforced
            event.setStaged(StagedFirewallDecision.newBuilder()
                    .setIsAddressAuthorized(decision.getStaged().getAllowed())
                    .setAddressAuthorizationType(authorizationType(decision.getStaged().getReason()))
                    .setMatchedRule(decision.getStaged().getMatchedRule())
                    .setTrustedService(decision.getStaged().getTrustedService()));
        }
        if (!decision.getAllowed()) {
            deny(event, Layer.LAYER_FIREWALL, decision.getMessage());
            // the decision event is the record of a denial (audit-service answers who was denied, from where, and
            // why); a log line per denial at INFO would make a flood from denied addresses cost more than real work
            if (LOG.isDebugEnabled()) {
                LOG.debugf("firewall denied %s %s on vault %s from %s: %s (decision %s)", request.method(),
                        request.path(), name, origin.clientAddress(), decision.getReason(), decision.getDecisionId());
            }
            return answers.answer(new Refusal.ForbiddenByFirewall(origin.clientAddress(),
                    decision.getResolvedSubnetId(), decision.getResolvedSubnetLacksKeyVaultEndpoint(),
                    caller.describe(), name));
        }
        if (vault.properties().publicNetworkAccessDisabled() && decision.getReason() != Reason.REASON_TRUSTED_SERVICE) {
            event.setIsAddressAuthorized(false)
                    .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_DENIED);
            deny(event, Layer.LAYER_FIREWALL, "public network access is disabled on the vault");
            return answers.answer(new Refusal.PublicNetworkAccessDisabled(origin.clientAddress(), caller.describe(),
                    name));
        }

        if (operation == Operation.UNRECOGNISED) {
            event.setResult(Result.RESULT_ALLOWED).setLayer(Layer.LAYER_OPERATION);
            return body.apply(vault, caller);
        }
        if (!AccessPolicies.allows(vault.properties().accessPolicies(), caller, operation.category(),
                operation.permission())) {
            String category = operation.category().jsonName();
            deny(event, Layer.LAYER_ACCESS_POLICY, "no access policy grants " + category + " " + operation.permission()
                    + " to " + caller.describe());
            return answers.answer(new Refusal.ForbiddenByPolicy(caller.describe(), category,
                    operation.permission(), name, vault.location()));
        }
        event.setIsAccessPolicyMatch(true);

        event.setResult(Result.RESULT_ALLOWED).setLayer(Layer.LAYER_OPERATION);
        try {
            return body.apply(vault, caller);
        } catch (RuntimeException e) {
            // the message may name the vault, secret and version, never a value: the store holds only sealed values
            LOG.errorf(e, "%s %s on vault %s failed (correlation id %s)", operation.operationName(), request.path(),
                    name, event.getCorrelationId());
            event.setReason("internal error: " + e.getClass().getSimpleName());
            return answers.answer(new Refusal.InternalError(event.getCorrelationId()));
        }
    }

    /** Azure prefixes its 401 messages with an AKV code; clients and runbooks match on them. */
    private static String keyVaultText(Authentication.Failed failed) {
        return switch (failed.failure()) {
            case MISSING -> "AKV10000: " + failed.message();
            case WRONG_AUDIENCE -> "AKV10022: " + failed.message();
            case WRONG_ISSUER -> "AKV10032: " + failed.message();
            default -> "AKV10012: " + failed.message();
        };
    }

    private static void deny(DecisionEvent.Builder event, Layer layer, String reason) {
        event.setResult(Result.RESULT_DENIED).setLayer(layer).setReason(reason == null ? "" : reason);
    }

    private static AddressAuthorizationType authorizationType(Reason reason) {
        return switch (reason) {
            case REASON_DEFAULT_ALLOW -> AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_DEFAULT_ALLOW;
            case REASON_TRUSTED_SERVICE -> AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_TRUSTED_SERVICE;
            case REASON_VIRTUAL_NETWORK_RULE -> AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_VIRTUAL_NETWORK_RULE;
            case REASON_IP_RULE -> AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE;
            case REASON_DENIED -> AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_DENIED;
            case REASON_UNKNOWN_VAULT -> AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_UNKNOWN_VAULT;
            case REASON_UNSPECIFIED, UNRECOGNIZED -> AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_UNSPECIFIED;
        };
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "vault-service";
        }
    }
}
