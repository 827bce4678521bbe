package dev.moat.vault.firewall;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.moat.proto.policy.v1.ClearStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.DeleteVaultRequest;
import dev.moat.proto.policy.v1.PromoteStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.SetStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.DeleteVirtualNetworkRequest;
import dev.moat.proto.policy.v1.GetNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.GetVirtualNetworkRequest;
import dev.moat.proto.policy.v1.ListVirtualNetworksRequest;
import dev.moat.proto.policy.v1.NetworkPolicyAdminGrpc.NetworkPolicyAdminBlockingStub;
import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.proto.policy.v1.PutVirtualNetworkRequest;
import dev.moat.proto.policy.v1.RegisterVaultRequest;
import dev.moat.proto.policy.v1.VaultNetworkRules;
import dev.moat.proto.policy.v1.VirtualNetwork;
import dev.moat.vault.auth.Identity;
import dev.moat.vault.config.VaultConfig;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;

/**
 * The one client of policy-service's {@code NetworkPolicyAdmin}, used by the management plane after it has authorised
 * the user. Each call carries a token of vault-service that names the user as the actor
 * ({@link ServiceToken#forActor}) and the correlation id as {@code x-ms-client-request-id}. gRPC failures
 * become {@link Failure}s.
 */
@ApplicationScoped
public class PolicyAdminClient {

    private static final Logger LOG = Logger.getLogger(PolicyAdminClient.class);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> CORRELATION =
            Metadata.Key.of("x-ms-client-request-id", Metadata.ASCII_STRING_MARSHALLER);

    /** What went wrong in policy-service, with its description (for INVALID, the list of violations). */
    public static final class Failure extends RuntimeException {

        public enum Kind {
            /** INVALID_ARGUMENT: the input breaks a rule; nothing changed. */
            INVALID,
            /** NOT_FOUND. */
            NOT_FOUND,
            /** FAILED_PRECONDITION or ALREADY_EXISTS: the state does not allow the change. */
            CONFLICT,
            /** UNAUTHENTICATED or PERMISSION_DENIED: policy-service refused the caller. */
            DENIED,
            /** Down, slow, or any other failure. */
            UNAVAILABLE
        }

        private final Kind kind;

        Failure(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** Who asks (the authorised user), and the request's correlation id (or null). */
    public record CallContext(Identity actor, String correlationId) {
    }

    private final NetworkPolicyAdminBlockingStub stub;
    private final ServiceToken credentials;
    private final long deadlineMillis;

    public PolicyAdminClient(@GrpcClient("policy") NetworkPolicyAdminBlockingStub stub, ServiceToken credentials,
            VaultConfig config) {
        this.stub = stub;
        this.credentials = credentials;
        this.deadlineMillis = config.firewall().adminDeadline().toMillis();
    }

    /** Registers the vault with these rules (null: none), replacing any it had. */
    public VaultNetworkRules registerVault(String vault, NetworkRuleSet rules, CallContext context) {
        RegisterVaultRequest.Builder request = RegisterVaultRequest.newBuilder().setVault(vault);
        if (rules != null) {
            request.setNetworkAcls(rules);
        }
        return call(context, s -> s.registerVault(request.build()));
    }

    /** Stages an audit-only rule set beside the enforced one, replacing any; validated as an update. */
    public VaultNetworkRules stage(String vault, NetworkRuleSet rules, CallContext context) {
        return call(context, s -> s.setStagedNetworkRuleSet(SetStagedNetworkRuleSetRequest.newBuilder()
                .setVault(vault).setNetworkAcls(rules).build()));
    }

    /** Removes the vault's staged rule set, if any. */
    public VaultNetworkRules clearStaged(String vault, CallContext context) {
        return call(context, s -> s.clearStagedNetworkRuleSet(ClearStagedNetworkRuleSetRequest.newBuilder()
                .setVault(vault).build()));
    }

    /** Makes the staged rule set the enforced one; CONFLICT when there is none. */
    public VaultNetworkRules promoteStaged(String vault, CallContext context) {
        return call(context, s -> s.promoteStagedNetworkRuleSet(PromoteStagedNetworkRuleSetRequest.newBuilder()
                .setVault(vault).build()));
    }

    public void deleteVault(String vault, CallContext context) {
        call(context, s -> s.deleteVault(DeleteVaultRequest.newBuilder().setVault(vault).build()));
    }

    /** The vault's rules; empty when policy-service does not know the vault. */
    public Optional<VaultNetworkRules> networkRules(String vault, CallContext context) {
        return find(context, s -> s.getNetworkRuleSet(GetNetworkRuleSetRequest.newBuilder().setVault(vault).build()));
    }

    public VirtualNetwork putVirtualNetwork(VirtualNetwork network, CallContext context) {
        return call(context, s -> s.putVirtualNetwork(PutVirtualNetworkRequest.newBuilder().setNetwork(network).build()));
    }

    public Optional<VirtualNetwork> virtualNetwork(String id, CallContext context) {
        return find(context, s -> s.getVirtualNetwork(GetVirtualNetworkRequest.newBuilder().setId(id).build()));
    }

    /** Every network policy-service keeps. */
    public java.util.List<VirtualNetwork> virtualNetworks(CallContext context) {
        return call(context, s -> s.listVirtualNetworks(ListVirtualNetworksRequest.getDefaultInstance()))
                .getNetworksList();
    }

    /** @return false when the network did not exist */
    public boolean deleteVirtualNetwork(String id, CallContext context) {
        return call(context, s -> s.deleteVirtualNetwork(DeleteVirtualNetworkRequest.newBuilder().setId(id).build()))
                .getDeleted();
    }

    /** A call that reads one thing: empty when policy-service answers NOT_FOUND, any other failure thrown. */
    private <T> Optional<T> find(CallContext context, Function<NetworkPolicyAdminBlockingStub, T> rpc) {
        try {
            return Optional.of(call(context, rpc));
        } catch (Failure e) {
            if (e.kind() == Failure.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private <T> T call(CallContext context, Function<NetworkPolicyAdminBlockingStub, T> rpc) {
        Metadata metadata = new Metadata();
        credentials.forActor(context.actor()).ifPresent(token -> metadata.put(AUTHORIZATION, token));
        if (context.correlationId() != null) {
            metadata.put(CORRELATION, context.correlationId());
        }
        try {
            return rpc.apply(stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                    .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
            Failure.Kind kind = switch (status.getCode()) {
                case INVALID_ARGUMENT, OUT_OF_RANGE -> Failure.Kind.INVALID;
                case NOT_FOUND -> Failure.Kind.NOT_FOUND;
                case FAILED_PRECONDITION, ALREADY_EXISTS -> Failure.Kind.CONFLICT;
                case UNAUTHENTICATED, PERMISSION_DENIED -> Failure.Kind.DENIED;
                default -> Failure.Kind.UNAVAILABLE;
            };
            if (kind == Failure.Kind.UNAVAILABLE) {
                LOG.warnf("policy-service admin call failed: %s", status);
            }
            throw new Failure(kind, description);
        }
    }
}
