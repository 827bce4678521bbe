package dev.moat.vault.firewall;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.DecisionServiceGrpc.DecisionServiceBlockingStub;
import dev.moat.proto.policy.v1.Reason;
import dev.moat.vault.config.VaultConfig;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;

/**
 * The one gRPC client of policy-service's {@code Check}, with the deadline and the fail-closed rule: any failure,
 * timeout or malformed answer becomes {@link FirewallAnswer.Unavailable}, which the pipeline turns into a 503.
 */
@ApplicationScoped
public class PolicyClient {

    private static final Logger LOG = Logger.getLogger(PolicyClient.class);

    private final DecisionServiceBlockingStub stub;
    private final long deadlineMillis;

    public PolicyClient(@GrpcClient("policy") DecisionServiceBlockingStub stub, VaultConfig config, ServiceToken token) {
        this.stub = token.configured() ? stub.withCallCredentials(token) : stub;
        this.deadlineMillis = config.firewall().deadline().toMillis();
    }

    public FirewallAnswer check(CheckRequest request) {
        try {
            var response = stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS).check(request);
            if (response.getReason() == Reason.REASON_UNSPECIFIED || response.getReason() == Reason.UNRECOGNIZED) {
                return new FirewallAnswer.Unavailable("policy-service answered without a reason");
            }
            return new FirewallAnswer.Decided(response);
        } catch (StatusRuntimeException e) {
            LOG.warnf("firewall check for vault %s failed closed: %s", request.getVault(), e.getStatus());
            return new FirewallAnswer.Unavailable(e.getStatus().getCode().name());
        }
    }
}
