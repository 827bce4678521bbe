package dev.moat.vault.health;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import grpc.health.v1.HealthGrpc.HealthBlockingStub;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;

/**
 * Ready only while policy-service answers the standard gRPC health check: without it every data-plane request
 * would be refused (fail closed), so a load balancer should send traffic elsewhere.
 */
@Readiness
@ApplicationScoped
public class PolicyServiceReadiness implements HealthCheck {

    @GrpcClient("policy")
    HealthBlockingStub health;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("policy-service");
        try {
            ServingStatus status = health.withDeadlineAfter(1, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
            return response.status(status == ServingStatus.SERVING).withData("status", status.name()).build();
        } catch (StatusRuntimeException e) {
            return response.down().withData("error", e.getStatus().getCode().name()).build();
        }
    }
}
