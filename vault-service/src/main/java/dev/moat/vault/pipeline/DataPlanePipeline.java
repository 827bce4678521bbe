package dev.moat.vault.pipeline;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.google.protobuf.Timestamp;

import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.vault.api.KeyVaultErrors;
import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.events.DecisionPublisher;
import dev.moat.vault.firewall.FirewallAnswer;
import dev.moat.vault.firewall.PolicyClient;
import dev.moat.vault.origin.OriginResolver;
import dev.moat.vault.origin.VaultHost;

/**
 * The one path every data-plane operation takes, in the order of ARCHITECTURE.md: route, authenticate, resolve the
 * origin, ask the firewall, check the access policy, run the operation, publish the decision. Nothing of the operation
 * runs before the checks allow it, and every request that names a vault produces exactly one decision event.
 */
@ApplicationScoped
public class DataPlanePipeline {

    /** Response header carrying the decision id, which finds the request's audit event. */
    public static final String DECISION_ID_HEADER = "x-moat-decision-id";

    private static final Logger LOG = Logger.getLogger(DataPlanePipeline.class);

    private final VaultHost hosts;
    private final OriginResolver origins;
    private final PolicyClient firewall;
    private final DecisionPublisher events;
    private final String instance;

    public DataPlanePipeline(VaultConfig config, PolicyClient firewall, DecisionPublisher events) {
        this.hosts = new VaultHost(config.dnsSuffix());
        this.origins = new OriginResolver(config.firewall().trustedProxies().orElse(java.util.List.of()));
        this.firewall = firewall;
        this.events = events;
        this.instance = config.instanceId().orElseGet(DataPlanePipeline::hostName);
    }

    /**
     * Runs one data-plane request.
     *
     * @param operation Key Vault operation name, for example "SecretGet"
     * @param body the operation itself; called only when every check allowed the request
     */
    public Response run(DataPlaneRequest request, String operation, Supplier<Response> body) {
        long started = System.nanoTime();
        Instant received = Instant.now();
        var vault = hosts.vaultOf(request.host());
        if (vault.isEmpty()) {
            return KeyVaultErrors.vaultNotFound(request.host());
        }
        DecisionEvent.Builder event = DecisionEvent.newBuilder()
                .setTime(Timestamp.newBuilder().setSeconds(received.getEpochSecond()).setNanos(received.getNano()))
                .setVault(vault.get())
                .setOperation(operation)
                .setHttpMethod(request.method())
                .setRequestPath(request.path())
                .setSource(instance)
                .setCorrelationId(request.clientRequestId() != null ? request.clientRequestId() : UUID.randomUUID().toString());

        Response response = decide(request, operation, vault.get(), event, body);

        long elapsed = System.nanoTime() - started;
        event.setHttpStatus(response.getStatus())
                .setDuration(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(elapsed / 1_000_000_000L)
                        .setNanos((int) (elapsed % 1_000_000_000L)));
        if (event.getEventId().isEmpty()) {
            event.setEventId(UUID.randomUUID().toString());
        }
        DecisionEvent decided = event.build();
        events.publish(decided);
        return Response.fromResponse(response).header(DECISION_ID_HEADER, decided.getEventId()).build();
    }

    private Response decide(DataPlaneRequest request, String operation, String vault, DecisionEvent.Builder event,
            Supplier<Response> body) {
        String client;
        try {
            client = origins.clientAddress(request.peerAddress(), request.forwardedFor());
        } catch (OriginResolver.InvalidOriginException e) {
            deny(event, Layer.LAYER_FIREWALL, e.getMessage());
            return KeyVaultErrors.badParameter(e.getMessage());
        }
        event.setCallerIp(client);

        FirewallAnswer answer = firewall.check(CheckRequest.newBuilder()
                .setVault(vault)
                .setOperation(operation)
                .setClientAddress(client)
                .setCorrelationId(event.getCorrelationId())
                .build());
        if (answer instanceof FirewallAnswer.Unavailable unavailable) {
            deny(event, Layer.LAYER_FIREWALL, "firewall unavailable (" + unavailable.cause() + "): failed closed");
            return KeyVaultErrors.firewallUnavailable();
        }
        CheckResponse decision = ((FirewallAnswer.Decided) answer).response();
        event.setEventId(decision.getDecisionId())
                .setIsAddressAuthorized(decision.getAllowed())
                .setAddressAuthorizationType(authorizationType(decision))
                .setMatchedRule(decision.getMatchedRule())
                .setSubnetId(decision.getResolvedSubnetId())
                .setTrustedService(decision.getTrustedService());
        if (!decision.getAllowed()) {
            deny(event, Layer.LAYER_FIREWALL, decision.getMessage());
            LOG.infof("firewall denied %s %s on vault %s from %s: %s (decision %s)", request.method(), request.path(),
                    vault, client, decision.getReason(), decision.getDecisionId());
            return KeyVaultErrors.forbiddenByFirewall(client, decision.getResolvedSubnetId(), "unauthenticated", vault);
        }

        Response response = body.get();
        event.setResult(Result.RESULT_ALLOWED).setLayer(Layer.LAYER_OPERATION);
        return response;
    }

    private static void deny(DecisionEvent.Builder event, Layer layer, String reason) {
        event.setResult(Result.RESULT_DENIED).setLayer(layer).setReason(reason == null ? "" : reason);
    }

    private static AddressAuthorizationType authorizationType(CheckResponse decision) {
        return switch (decision.getReason()) {
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
