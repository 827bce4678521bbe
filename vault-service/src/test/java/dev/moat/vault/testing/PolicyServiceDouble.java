package dev.moat.vault.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.proto.policy.v1.DecisionServiceGrpc;
import dev.moat.proto.policy.v1.ClearStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.DeleteVaultRequest;
import dev.moat.proto.policy.v1.PromoteStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.SetStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.DeleteVaultResponse;
import dev.moat.proto.policy.v1.DeleteVirtualNetworkRequest;
import dev.moat.proto.policy.v1.DeleteVirtualNetworkResponse;
import dev.moat.proto.policy.v1.GetNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.GetVirtualNetworkRequest;
import dev.moat.proto.policy.v1.NetworkPolicyAdminGrpc;
import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.proto.policy.v1.PutVirtualNetworkRequest;
import dev.moat.proto.policy.v1.Reason;
import dev.moat.proto.policy.v1.RegisterVaultRequest;
import dev.moat.proto.policy.v1.Subnet;
import dev.moat.proto.policy.v1.VaultNetworkRules;
import dev.moat.proto.policy.v1.VirtualNetwork;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real gRPC server standing in for policy-service: {@code DecisionService} with answers a test chooses (allow,
 * deny, slow, down), and {@code NetworkPolicyAdmin} keeping vault rules and virtual networks in memory. The admin
 * side validates nothing: policy-service's rules are tested there and, through ARM against the real service, in
 * {@code deploy}'s {@code FirewallEdgesSystemTest}; a test that needs a refusal sets {@link #adminFailure}.
 */
public class PolicyServiceDouble implements QuarkusTestResourceLifecycleManager {

    public static volatile Function<CheckRequest, CheckResponse> answer = request -> allow();
    public static volatile Duration delay = Duration.ZERO;
    /** When set, every admin call fails with this status (to show that nothing is half-applied). */
    public static volatile Status adminFailure;
    /** When set, only setting a staged rule set fails with this status (policy-service refusing the staged rules). */
    public static volatile Status stagedFailure;
    public static final CopyOnWriteArrayList<CheckRequest> received = new CopyOnWriteArrayList<>();
    /** The {@code authorization} metadata of each Check call, in order. */
    public static final CopyOnWriteArrayList<String> checkAuthorizations = new CopyOnWriteArrayList<>();
    /** The {@code authorization} metadata of each admin call, in order. */
    public static final CopyOnWriteArrayList<String> adminAuthorizations = new CopyOnWriteArrayList<>();
    public static final Map<String, NetworkRuleSet> vaults = new ConcurrentHashMap<>();
    /** Staged (audit-only) rule sets by vault. */
    public static final Map<String, NetworkRuleSet> staged = new ConcurrentHashMap<>();
    /** Vaults registered without rules. */
    public static final NetworkRuleSet NO_RULES = NetworkRuleSet.newBuilder().setDefaultAction("(none)").build();
    public static final Map<String, VirtualNetwork> networks = new ConcurrentHashMap<>();

    private static final io.grpc.Context.Key<String> AUTHORIZATION = io.grpc.Context.key("authorization");
    private static int port;
    private static Server server;

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        startServer();
        return Map.of("quarkus.grpc.clients.policy.port", String.valueOf(port),
                "quarkus.grpc.clients.policy.test-port", String.valueOf(port),
                "quarkus.grpc.clients.policy.host", "127.0.0.1");
    }

    public static void reset() {
        delay = Duration.ZERO;
        adminFailure = null;
        stagedFailure = null;
        answer = request -> allow();
        received.clear();
        adminAuthorizations.clear();
        checkAuthorizations.clear();
    }

    /** The claims of a bearer token as JSON (the double does not verify; the service's tests check the contents). */
    public static String claimsOf(String authorization) {
        String jwt = authorization.substring("Bearer ".length());
        return new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    public static CheckResponse allow() {
        return CheckResponse.newBuilder()
                .setAllowed(true).setReason(Reason.REASON_IP_RULE).setMatchedRule("127.0.0.0/8")
                .setDecisionId(java.util.UUID.randomUUID().toString()).build();
    }

    public static CheckResponse deny(CheckRequest request) {
        return CheckResponse.newBuilder()
                .setAllowed(false).setReason(Reason.REASON_DENIED)
                .setDecisionId(java.util.UUID.randomUUID().toString())
                .setMessage("no rule admits " + request.getClientAddress()).build();
    }

    public static synchronized void startServer() {
        ServerInterceptor captureAuthorization = new ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                    io.grpc.ServerCallHandler<Q, R> next) {
                String value = headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
                return Contexts.interceptCall(io.grpc.Context.current().withValue(AUTHORIZATION, value), call, headers, next);
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(ServerInterceptors.intercept(new DecisionServiceGrpc.DecisionServiceImplBase() {
                        @Override
                        public void check(CheckRequest request, StreamObserver<CheckResponse> observer) {
                            checkAuthorizations.add(String.valueOf(AUTHORIZATION.get()));
                            received.add(request);
                            // answer after the configured delay, as a slow policy-service would
                            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                                observer.onNext(answer.apply(request));
                                observer.onCompleted();
                            });
                        }
                    }, captureAuthorization))
                    .addService(ServerInterceptors.intercept(new Admin(), captureAuthorization))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized void stopServer() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        try {
            stopServer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The admin API, in memory. */
    private static final class Admin extends NetworkPolicyAdminGrpc.NetworkPolicyAdminImplBase {

        private boolean failed(StreamObserver<?> observer) {
            adminAuthorizations.add(String.valueOf(AUTHORIZATION.get()));
            if (adminFailure != null) {
                observer.onError(adminFailure.asRuntimeException());
                return true;
            }
            return false;
        }

        @Override
        public void registerVault(RegisterVaultRequest request, StreamObserver<VaultNetworkRules> observer) {
            if (failed(observer)) {
                return;
            }
            NetworkRuleSet rules = request.hasNetworkAcls() ? normalise(request.getNetworkAcls()) : null;
            vaults.put(request.getVault(), rules == null ? NO_RULES : rules);
            reply(observer, request.getVault());
        }

        @Override
        public void deleteVault(DeleteVaultRequest request, StreamObserver<DeleteVaultResponse> observer) {
            if (failed(observer)) {
                return;
            }
            staged.remove(request.getVault());
            observer.onNext(DeleteVaultResponse.newBuilder().setDeleted(vaults.remove(request.getVault()) != null)
                    .build());
            observer.onCompleted();
        }

        @Override
        public void getNetworkRuleSet(GetNetworkRuleSetRequest request, StreamObserver<VaultNetworkRules> observer) {
            if (failed(observer)) {
                return;
            }
            if (!vaults.containsKey(request.getVault())) {
                observer.onError(Status.NOT_FOUND.withDescription("vault '" + request.getVault() + "' is not known")
                        .asRuntimeException());
                return;
            }
            reply(observer, request.getVault());
        }

        @Override
        public void listVirtualNetworks(dev.moat.proto.policy.v1.ListVirtualNetworksRequest request,
                StreamObserver<dev.moat.proto.policy.v1.ListVirtualNetworksResponse> observer) {
            if (failed(observer)) {
                return;
            }
            observer.onNext(dev.moat.proto.policy.v1.ListVirtualNetworksResponse.newBuilder()
                    .addAllNetworks(networks.values()).build());
            observer.onCompleted();
        }

        @Override
        public void putVirtualNetwork(PutVirtualNetworkRequest request, StreamObserver<VirtualNetwork> observer) {
            if (failed(observer)) {
                return;
            }
            VirtualNetwork.Builder network = request.getNetwork().toBuilder().clearSubnets();
            for (Subnet subnet : request.getNetwork().getSubnetsList()) {
                network.addSubnets(subnet.toBuilder().setId(request.getNetwork().getId() + "/subnets/"
                        + subnet.getName()));
            }
            networks.put(request.getNetwork().getId().toLowerCase(Locale.ROOT), network.build());
            observer.onNext(network.build());
            observer.onCompleted();
        }

        @Override
        public void getVirtualNetwork(GetVirtualNetworkRequest request, StreamObserver<VirtualNetwork> observer) {
            if (failed(observer)) {
                return;
            }
            VirtualNetwork network = networks.get(request.getId().toLowerCase(Locale.ROOT));
            if (network == null) {
                observer.onError(Status.NOT_FOUND.withDescription("virtual network '" + request.getId()
                        + "' does not exist").asRuntimeException());
                return;
            }
            observer.onNext(network);
            observer.onCompleted();
        }

        @Override
        public void deleteVirtualNetwork(DeleteVirtualNetworkRequest request,
                StreamObserver<DeleteVirtualNetworkResponse> observer) {
            if (failed(observer)) {
                return;
            }
            observer.onNext(DeleteVirtualNetworkResponse.newBuilder()
                    .setDeleted(networks.remove(request.getId().toLowerCase(Locale.ROOT)) != null).build());
            observer.onCompleted();
        }

        private static void reply(StreamObserver<VaultNetworkRules> observer, String vault) {
            observer.onNext(answer(vault));
            observer.onCompleted();
        }

        private static VaultNetworkRules answer(String vault) {
            NetworkRuleSet rules = vaults.get(vault);
            VaultNetworkRules.Builder answer = VaultNetworkRules.newBuilder().setVault(vault);
            if (rules != null && rules != NO_RULES) {
                answer.setNetworkAcls(rules);
            }
            if (staged.containsKey(vault)) {
                answer.setStagedNetworkAcls(staged.get(vault));
            }
            return answer.build();
        }

        @Override
        public void setStagedNetworkRuleSet(SetStagedNetworkRuleSetRequest request,
                StreamObserver<VaultNetworkRules> observer) {
            changeStaged(request.getVault(), observer, () -> {
                if (stagedFailure != null) {
                    return stagedFailure;
                }
                staged.put(request.getVault(), normalise(request.getNetworkAcls()));
                return null;
            });
        }

        @Override
        public void clearStagedNetworkRuleSet(ClearStagedNetworkRuleSetRequest request,
                StreamObserver<VaultNetworkRules> observer) {
            changeStaged(request.getVault(), observer, () -> {
                staged.remove(request.getVault());
                return null;
            });
        }

        @Override
        public void promoteStagedNetworkRuleSet(PromoteStagedNetworkRuleSetRequest request,
                StreamObserver<VaultNetworkRules> observer) {
            changeStaged(request.getVault(), observer, () -> {
                NetworkRuleSet rules = staged.remove(request.getVault());
                if (rules == null) {
                    return Status.FAILED_PRECONDITION.withDescription("vault '" + request.getVault()
                            + "' has no staged rule set to promote");
                }
                vaults.put(request.getVault(), rules);
                return null;
            });
        }

        /**
         * A change to a known vault's staged rule set, answered with the vault's rules after it; the failure set for
         * every call, an unknown vault, or the change's own refusal (not null) is answered instead.
         */
        private void changeStaged(String vault, StreamObserver<VaultNetworkRules> observer, Supplier<Status> change) {
            if (failed(observer) || unknown(vault, observer)) {
                return;
            }
            Status refused = change.get();
            if (refused != null) {
                observer.onError(refused.asRuntimeException());
                return;
            }
            reply(observer, vault);
        }

        private static boolean unknown(String vault, StreamObserver<?> observer) {
            if (vaults.containsKey(vault)) {
                return false;
            }
            observer.onError(Status.NOT_FOUND.withDescription("vault '" + vault + "' is not known").asRuntimeException());
            return true;
        }

        private static NetworkRuleSet normalise(NetworkRuleSet rules) {
            String action = rules.getDefaultAction().isEmpty() ? "Allow" : rules.getDefaultAction();
            String bypass = rules.getBypass().isEmpty() ? "AzureServices" : rules.getBypass();
            return rules.toBuilder()
                    .setDefaultAction(action.equalsIgnoreCase("deny") ? "Deny" : action.equalsIgnoreCase("allow")
                            ? "Allow" : action)
                    .setBypass(bypass.equalsIgnoreCase("azureservices") ? "AzureServices"
                            : bypass.equalsIgnoreCase("none") ? "None" : bypass)
                    .build();
        }

    }
}
