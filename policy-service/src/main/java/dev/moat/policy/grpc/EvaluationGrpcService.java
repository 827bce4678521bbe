package dev.moat.policy.grpc;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import dev.moat.policy.admin.BadRequestException;
import dev.moat.policy.admin.PolicyAdmin;
import dev.moat.policy.decision.CheckInput;
import dev.moat.policy.decision.Decision;
import dev.moat.policy.mapping.ProtoMapping;
import dev.moat.proto.policy.v1.EvaluateProposedRequest;
import dev.moat.proto.policy.v1.EvaluateProposedResponse;
import dev.moat.proto.policy.v1.RequestOrigin;
import dev.moat.proto.policy.v1.RuleSetEvaluation;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * {@code moat.policy.v1.RuleSetEvaluation}: the what-if of a rule change. A thin adapter over
 * {@link PolicyAdmin#evaluateProposed}, blocking because validation reads the stored virtual networks.
 */
@GrpcService
@Blocking
public class EvaluationGrpcService implements RuleSetEvaluation {

    /** Most origins per call: bounds the work and the message size of one call. */
    static final int MAX_ORIGINS = 1000;

    @Inject
    PolicyAdmin admin;

    @Override
    public Uni<EvaluateProposedResponse> evaluateProposed(EvaluateProposedRequest request) {
        try {
            if (request.getOriginsCount() > MAX_ORIGINS) {
                throw new BadRequestException("origins: " + request.getOriginsCount() + " origins given, at most "
                        + MAX_ORIGINS + " per call");
            }
            List<CheckInput> inputs = new ArrayList<>(request.getOriginsCount());
            for (int i = 0; i < request.getOriginsCount(); i++) {
                RequestOrigin origin = request.getOrigins(i);
                try {
                    inputs.add(CheckInput.of(request.getVault(), origin.getClientAddress(), origin.getSourceSubnetId(),
                            origin.getCallerApplicationId()));
                } catch (IllegalArgumentException e) {
                    throw new BadRequestException("origins[" + i + "]: " + e.getMessage());
                }
            }
            List<Decision> decisions = admin.evaluateProposed(request.getVault(),
                    request.hasNetworkAcls() ? ProtoMapping.input(request.getNetworkAcls()) : null, inputs);
            EvaluateProposedResponse.Builder response = EvaluateProposedResponse.newBuilder();
            decisions.forEach(d -> response.addDecisions(ProtoMapping.toRuleSetDecision(d)));
            return Uni.createFrom().item(response.build());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(GrpcErrors.toStatus(e));
        }
    }
}
