package dev.moat.policy.grpc;

import java.util.Optional;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import dev.moat.policy.admin.Actor;
import dev.moat.policy.admin.PolicyAdmin;
import dev.moat.policy.admin.PolicyState;
import dev.moat.policy.auth.CallerAuthInterceptor;
import dev.moat.policy.mapping.ProtoMapping;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.proto.policy.v1.ClearStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.DeleteVaultRequest;
import dev.moat.proto.policy.v1.PromoteStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.SetStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.DeleteVaultResponse;
import dev.moat.proto.policy.v1.DeleteVirtualNetworkRequest;
import dev.moat.proto.policy.v1.DeleteVirtualNetworkResponse;
import dev.moat.proto.policy.v1.GetNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.GetVirtualNetworkRequest;
import dev.moat.proto.policy.v1.IpRuleRequest;
import dev.moat.proto.policy.v1.ListTrustedServicesRequest;
import dev.moat.proto.policy.v1.ListTrustedServicesResponse;
import dev.moat.proto.policy.v1.ListVirtualNetworksRequest;
import dev.moat.proto.policy.v1.ListVirtualNetworksResponse;
import dev.moat.proto.policy.v1.NetworkPolicyAdmin;
import dev.moat.proto.policy.v1.PutVirtualNetworkRequest;
import dev.moat.proto.policy.v1.RegisterVaultRequest;
import dev.moat.proto.policy.v1.ReplaceNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.SetSubnetServiceEndpointRequest;
import dev.moat.proto.policy.v1.VaultNetworkRules;
import dev.moat.proto.policy.v1.VirtualNetwork;
import dev.moat.proto.policy.v1.VirtualNetworkRuleRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** {@code moat.policy.v1.NetworkPolicyAdmin}: a thin adapter over {@link PolicyAdmin}, which holds the rules. */
@GrpcService
@Blocking
public class AdminGrpcService implements NetworkPolicyAdmin {

    @Inject
    PolicyAdmin admin;
    @Inject
    PolicyState state;

    @Override
    public Uni<VaultNetworkRules> registerVault(RegisterVaultRequest request) {
        return call(() -> vault(request.getVault(), admin.registerVault(actor(), request.getVault(),
                request.hasNetworkAcls() ? ProtoMapping.input(request.getNetworkAcls()) : null)));
    }

    @Override
    public Uni<DeleteVaultResponse> deleteVault(DeleteVaultRequest request) {
        return call(() -> DeleteVaultResponse.newBuilder()
                .setDeleted(admin.deleteVault(actor(), request.getVault())).build());
    }

    @Override
    public Uni<VaultNetworkRules> getNetworkRuleSet(GetNetworkRuleSetRequest request) {
        return call(() -> withStaged(request.getVault()));
    }

    @Override
    public Uni<VaultNetworkRules> setStagedNetworkRuleSet(SetStagedNetworkRuleSetRequest request) {
        return call(() -> {
            admin.stageRules(actor(), request.getVault(),
                    request.hasNetworkAcls() ? ProtoMapping.input(request.getNetworkAcls()) : null);
            return withStaged(request.getVault());
        });
    }

    @Override
    public Uni<VaultNetworkRules> clearStagedNetworkRuleSet(ClearStagedNetworkRuleSetRequest request) {
        return call(() -> {
            admin.clearStagedRules(actor(), request.getVault());
            return withStaged(request.getVault());
        });
    }

    @Override
    public Uni<VaultNetworkRules> promoteStagedNetworkRuleSet(PromoteStagedNetworkRuleSetRequest request) {
        return call(() -> {
            admin.promoteStagedRules(actor(), request.getVault());
            return withStaged(request.getVault());
        });
    }

    @Override
    public Uni<VaultNetworkRules> replaceNetworkRuleSet(ReplaceNetworkRuleSetRequest request) {
        return call(() -> vault(request.getVault(), admin.replaceRules(actor(), request.getVault(),
                request.hasNetworkAcls() ? ProtoMapping.input(request.getNetworkAcls()) : null)));
    }

    @Override
    public Uni<VaultNetworkRules> addIpRule(IpRuleRequest request) {
        return call(() -> vault(request.getVault(), admin.addIpRule(actor(), request.getVault(), request.getValue())));
    }

    @Override
    public Uni<VaultNetworkRules> removeIpRule(IpRuleRequest request) {
        return call(() -> vault(request.getVault(),
                admin.removeIpRule(actor(), request.getVault(), request.getValue())));
    }

    @Override
    public Uni<VaultNetworkRules> addVirtualNetworkRule(VirtualNetworkRuleRequest request) {
        return call(() -> vault(request.getVault(), admin.addVirtualNetworkRule(actor(), request.getVault(),
                ProtoMapping.input(request.getRule()))));
    }

    @Override
    public Uni<VaultNetworkRules> removeVirtualNetworkRule(VirtualNetworkRuleRequest request) {
        return call(() -> vault(request.getVault(), admin.removeVirtualNetworkRule(actor(), request.getVault(),
                request.getRule().getId())));
    }

    @Override
    public Uni<VirtualNetwork> putVirtualNetwork(PutVirtualNetworkRequest request) {
        return call(() -> ProtoMapping.toProto(admin.putNetwork(actor(), ProtoMapping.input(request.getNetwork()))));
    }

    @Override
    public Uni<VirtualNetwork> getVirtualNetwork(GetVirtualNetworkRequest request) {
        return call(() -> ProtoMapping.toProto(admin.network(request.getId())));
    }

    @Override
    public Uni<ListVirtualNetworksResponse> listVirtualNetworks(ListVirtualNetworksRequest request) {
        return call(() -> {
            var response = ListVirtualNetworksResponse.newBuilder();
            admin.networks().all().stream()
                    .sorted(java.util.Comparator.comparing(n -> n.id().key()))
                    .forEach(n -> response.addNetworks(ProtoMapping.toProto(n)));
            return response.build();
        });
    }

    @Override
    public Uni<DeleteVirtualNetworkResponse> deleteVirtualNetwork(DeleteVirtualNetworkRequest request) {
        return call(() -> DeleteVirtualNetworkResponse.newBuilder()
                .setDeleted(admin.deleteNetwork(actor(), request.getId())).build());
    }

    @Override
    public Uni<VirtualNetwork> setSubnetServiceEndpoint(SetSubnetServiceEndpointRequest request) {
        return call(() -> ProtoMapping.toProto(admin.setServiceEndpoint(actor(), request.getSubnetId(),
                request.getService(), request.getEnabled())));
    }

    @Override
    public Uni<ListTrustedServicesResponse> listTrustedServices(ListTrustedServicesRequest request) {
        return call(() -> {
            var response = ListTrustedServicesResponse.newBuilder();
            state.catalog().services().forEach(s -> response.addServices(ProtoMapping.toProto(s)));
            return response.build();
        });
    }

    private VaultNetworkRules withStaged(String vault) {
        return ProtoMapping.vault(vault.toLowerCase(java.util.Locale.ROOT), admin.rules(vault), admin.stagedRules(vault));
    }

    private static VaultNetworkRules vault(String vault, Optional<NetworkRuleSet> rules) {
        return ProtoMapping.vault(vault.toLowerCase(java.util.Locale.ROOT), rules);
    }

    /** The caller authenticated by {@link CallerAuthInterceptor}. */
    private static Actor actor() {
        return CallerAuthInterceptor.currentActor();
    }

    private static <T> Uni<T> call(Supplier<T> work) {
        try {
            return Uni.createFrom().item(work.get());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(GrpcErrors.toStatus(e));
        }
    }
}
