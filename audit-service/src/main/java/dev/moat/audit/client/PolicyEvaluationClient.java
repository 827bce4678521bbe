package dev.moat.audit.client;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.moat.audit.config.AuditConfig;
import dev.moat.proto.policy.v1.EvaluateProposedRequest;
import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.proto.policy.v1.RequestOrigin;
import dev.moat.proto.policy.v1.RuleSetDecision;
import dev.moat.proto.policy.v1.RuleSetEvaluationGrpc.RuleSetEvaluationBlockingStub;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;

/**
 * The one client of policy-service's {@code RuleSetEvaluation}: each call carries {@link PolicyToken} and a deadline;
 * gRPC failures become {@link Failure}s whose kind the API maps to an answer.
 */
@ApplicationScoped
public class PolicyEvaluationClient {

    private static final Logger LOG = Logger.getLogger(PolicyEvaluationClient.class);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** What went wrong, with policy-service's description (for INVALID, every violation of the proposed rules). */
    public static final class Failure extends RuntimeException {

        public enum Kind {
            /** INVALID_ARGUMENT: the proposed rules break a rule, exactly as an update would. */
            INVALID,
            /** NOT_FOUND: policy-service does not know the vault. */
            NOT_FOUND,
            /** Down, slow, refusing audit-service's token, or any other failure. */
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

    private final RuleSetEvaluationBlockingStub stub;
    private final PolicyToken token;
    private final long deadlineMillis;

    public PolicyEvaluationClient(@GrpcClient("policy") RuleSetEvaluationBlockingStub stub, PolicyToken token,
            AuditConfig config) {
        this.stub = stub;
        this.token = token;
        this.deadlineMillis = config.policy().deadline().toMillis();
    }

    /** The decisions of the proposed rules for each origin, in order. */
    public List<RuleSetDecision> evaluate(String vault, NetworkRuleSet proposed, List<RequestOrigin> origins) {
        Metadata metadata = new Metadata();
        token.bearer().ifPresent(bearer -> metadata.put(AUTHORIZATION, bearer));
        try {
            return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                    .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                    .evaluateProposed(EvaluateProposedRequest.newBuilder().setVault(vault).setNetworkAcls(proposed)
                            .addAllOrigins(origins).build())
                    .getDecisionsList();
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
            Failure.Kind kind = switch (status.getCode()) {
                case INVALID_ARGUMENT -> Failure.Kind.INVALID;
                case NOT_FOUND -> Failure.Kind.NOT_FOUND;
                default -> Failure.Kind.UNAVAILABLE;
            };
            if (kind == Failure.Kind.UNAVAILABLE) {
                LOG.warnf("policy-service's EvaluateProposed failed: %s", status);
            }
            throw new Failure(kind, description);
        }
    }
}
