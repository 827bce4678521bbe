package dev.moat.policy.grpc;

import java.util.Optional;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.moat.outbox.EventIds;
import dev.moat.policy.admin.PolicyState;
import dev.moat.policy.decision.CheckInput;
import dev.moat.policy.decision.Decision;
import dev.moat.policy.mapping.ProtoMapping;
import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.proto.policy.v1.DecisionService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * {@code moat.policy.v1.DecisionService}: decides from the in-memory snapshot, with no database access, on the
 * gRPC event loop; a vault's staged (audit-only) rule set is decided beside the enforced one and reported, not
 * enforced.
 */
@GrpcService
public class DecisionGrpcService implements DecisionService {

    private static final Logger LOG = Logger.getLogger(DecisionGrpcService.class);

    @Inject
    PolicyState state;

    @Override
    public Uni<CheckResponse> check(CheckRequest request) {
        try {
            CheckInput input = CheckInput.of(request.getVault(), request.getClientAddress(),
                    request.getSourceSubnetId(), request.getSourceSubnetBehindNat(),
                    request.getCaller().getApplicationId());
            Decision decision = state.snapshot().decide(input);
            CheckResponse response = ProtoMapping.toProto(decision, EventIds.next());
            Optional<Decision> staged = state.stagedDecision(input);
            if (staged.isPresent()) {
                response = response.toBuilder().setStaged(ProtoMapping.toRuleSetDecision(staged.get())).build();
            }
            // vault-service records every decision as an event (audit-service answers who was denied, from where,
            // and why); a line per denial at INFO made a flood from denied addresses cost more than admitted work
            if (!response.getAllowed() && LOG.isDebugEnabled()) {
                LOG.debugf("denied vault=%s client=%s subnet=%s appid=%s reason=%s decision=%s correlation=%s",
                        request.getVault(), request.getClientAddress(), response.getResolvedSubnetId(),
                        request.getCaller().getApplicationId(), response.getReason(), response.getDecisionId(),
                        request.getCorrelationId());
            }
            return Uni.createFrom().item(response);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(GrpcErrors.toStatus(e));
        }
    }
}
