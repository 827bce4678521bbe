package dev.moat.vault.pipeline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.proto.policy.v1.DecisionServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real gRPC server speaking {@code moat.policy.v1.DecisionService} whose answers a test chooses, so that the
 * pipeline can be driven through allow, deny, slow and down. The real policy-service is exercised by the system tests.
 */
public class PolicyServiceDouble implements QuarkusTestResourceLifecycleManager {

    static volatile Function<CheckRequest, CheckResponse> answer;
    static volatile Duration delay = Duration.ZERO;
    static final CopyOnWriteArrayList<CheckRequest> received = new CopyOnWriteArrayList<>();
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

    static synchronized void startServer() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(new DecisionServiceGrpc.DecisionServiceImplBase() {
                        @Override
                        public void check(CheckRequest request, StreamObserver<CheckResponse> observer) {
                            received.add(request);
                            // answer after the configured delay, as a slow policy-service would
                            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                                observer.onNext(answer.apply(request));
                                observer.onCompleted();
                            });
                        }
                    })
                    .build()
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized void stopServer() throws InterruptedException {
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
}
