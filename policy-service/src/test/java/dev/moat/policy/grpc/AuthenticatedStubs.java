package dev.moat.policy.grpc;

import org.junit.jupiter.api.BeforeEach;

import dev.moat.proto.policy.v1.DecisionServiceGrpc.DecisionServiceBlockingStub;
import dev.moat.proto.policy.v1.NetworkPolicyAdminGrpc.NetworkPolicyAdminBlockingStub;
import dev.moat.proto.policy.v1.RuleSetEvaluationGrpc.RuleSetEvaluationBlockingStub;
import io.quarkus.grpc.GrpcClient;

/**
 * The stubs of policy-service's gRPC tests: each API anonymously, and with a token of the role that API needs
 * ({@link PolicyAuthResource}), renewed before each test.
 */
abstract class AuthenticatedStubs {

    @GrpcClient("policy")
    DecisionServiceBlockingStub anonymousDecisions;

    @GrpcClient("policy")
    NetworkPolicyAdminBlockingStub anonymousAdmin;

    @GrpcClient("policy")
    RuleSetEvaluationBlockingStub anonymousEvaluation;

    DecisionServiceBlockingStub decisions;
    NetworkPolicyAdminBlockingStub admin;
    RuleSetEvaluationBlockingStub evaluation;

    @BeforeEach
    void authenticate() {
        decisions = PolicyAuthResource.as(anonymousDecisions, "Policy.Check");
        admin = PolicyAuthResource.as(anonymousAdmin, "Policy.Admin");
        evaluation = PolicyAuthResource.as(anonymousEvaluation, "Policy.Evaluate");
    }
}
