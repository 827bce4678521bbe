package dev.moat.policy.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.proto.policy.v1.Caller;
import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.proto.policy.v1.ClearStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.EvaluateProposedRequest;
import dev.moat.proto.policy.v1.GetNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.IpRule;
import dev.moat.proto.policy.v1.ListTrustedServicesRequest;
import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.proto.policy.v1.PromoteStagedNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.Reason;
import dev.moat.proto.policy.v1.RegisterVaultRequest;
import dev.moat.proto.policy.v1.ReplaceNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.RequestOrigin;
import dev.moat.proto.policy.v1.RuleSetDecision;
import dev.moat.proto.policy.v1.SetStagedNetworkRuleSetRequest;
import dev.moat.testing.kafka.KafkaBrokerResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The what-if of a rule change ({@code RuleSetEvaluation/EvaluateProposed}) and audit-only rule sets (staged beside
 * the enforced ones, reported by {@code Check}, promoted in one call), over real gRPC.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PolicyAuthResource.class)
class StagedAndProposedGrpcTest extends AuthenticatedStubs {

    @Test
    void a_proposed_rule_set_is_decided_per_origin_by_the_check_evaluator_and_nothing_is_stored() {
        String backup = trustedServiceId();
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("whatifvault").setNetworkAcls(
                deny("AzureServices").addIpRules(ip("203.0.113.0/24")).addIpRules(ip("198.51.100.7"))).build());

        var answer = evaluation.evaluateProposed(EvaluateProposedRequest.newBuilder().setVault("whatifvault")
                .setNetworkAcls(deny("None").addIpRules(ip("203.0.113.0/24")))
                .addOrigins(origin("203.0.113.9", ""))
                .addOrigins(origin("198.51.100.7", ""))
                .addOrigins(origin("52.1.2.3", backup))
                .build());

        assertThat(answer.getDecisionsList()).extracting(RuleSetDecision::getReason).containsExactly(
                Reason.REASON_IP_RULE, Reason.REASON_DENIED, Reason.REASON_DENIED);
        assertThat(answer.getDecisions(0).getMatchedRule()).isEqualTo("203.0.113.0/24");
        assertThat(answer.getDecisions(1).getMessage()).contains("198.51.100.7");
        // nothing changed: the enforced rules still admit both
        assertThat(check("whatifvault", "198.51.100.7", "").getReason()).isEqualTo(Reason.REASON_IP_RULE);
        assertThat(check("whatifvault", "52.1.2.3", backup).getReason()).isEqualTo(Reason.REASON_TRUSTED_SERVICE);
        assertThat(admin.getNetworkRuleSet(GetNetworkRuleSetRequest.newBuilder().setVault("whatifvault").build())
                .getNetworkAcls().getIpRulesCount()).isEqualTo(2);
    }

    static Stream<Arguments> invalidRuleSets() {
        return Stream.of(
                Arguments.of("a /31 range", deny("None").addIpRules(ip("203.0.113.0/31")).build()),
                Arguments.of("an RFC 1918 range", deny("None").addIpRules(ip("10.1.0.0/16")).build()),
                Arguments.of("128 IP rules", deny("None").addAllIpRules(IntStream.range(0, 128)
                        .mapToObj(i -> ip("203.0." + (i / 100) + "." + (i % 100 + 1))).toList()).build()),
                Arguments.of("an unknown default action", NetworkRuleSet.newBuilder().setDefaultAction("Maybe").build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRuleSets")
    void a_proposed_or_staged_rule_set_is_refused_exactly_as_a_real_update(String what, NetworkRuleSet rules) {
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("refusals").build());
        Status update = status(() -> admin.replaceNetworkRuleSet(ReplaceNetworkRuleSetRequest.newBuilder()
                .setVault("refusals").setNetworkAcls(rules).build()));
        Status proposed = status(() -> evaluation.evaluateProposed(EvaluateProposedRequest.newBuilder()
                .setVault("refusals").setNetworkAcls(rules).addOrigins(origin("203.0.113.1", "")).build()));
        Status staged = status(() -> admin.setStagedNetworkRuleSet(SetStagedNetworkRuleSetRequest.newBuilder()
                .setVault("refusals").setNetworkAcls(rules).build()));

        assertThat(update.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(proposed.getCode()).isEqualTo(update.getCode());
        assertThat(proposed.getDescription()).isEqualTo(update.getDescription());
        assertThat(staged.getCode()).isEqualTo(update.getCode());
        assertThat(staged.getDescription()).isEqualTo(update.getDescription());
        assertThat(admin.getNetworkRuleSet(GetNetworkRuleSetRequest.newBuilder().setVault("refusals").build())
                .hasStagedNetworkAcls()).isFalse();
    }

    @Test
    void evaluation_needs_its_own_role_and_a_known_vault() {
        var adminOnly = PolicyAuthResource.as(anonymousEvaluation, "Policy.Admin");
        var request = EvaluateProposedRequest.newBuilder().setVault("whatifvault").build();

        assertThat(status(() -> adminOnly.evaluateProposed(request)).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status(() -> evaluation.evaluateProposed(request.toBuilder().setVault("nosuchvault").build()))
                .getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status(() -> evaluation.evaluateProposed(request.toBuilder().setVault("whatifvault")
                .addOrigins(origin("not-an-address", "")).build())).getDescription()).startsWith("origins[0]");
    }

    @Test
    void a_staged_rule_set_is_reported_beside_the_enforced_decision_and_promoted_in_one_call() {
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("stagedvault")
                .setNetworkAcls(deny("None").addIpRules(ip("203.0.113.0/24")).addIpRules(ip("198.51.100.0/24")))
                .build());
        assertThat(check("stagedvault", "198.51.100.5", "").hasStaged()).isFalse();

        var stored = admin.setStagedNetworkRuleSet(SetStagedNetworkRuleSetRequest.newBuilder().setVault("stagedvault")
                .setNetworkAcls(deny("None").addIpRules(ip("203.0.113.0/24"))).build());
        assertThat(stored.getStagedNetworkAcls().getIpRulesList()).extracting(IpRule::getValue)
                .containsExactly("203.0.113.0/24");

        CheckResponse kept = check("stagedvault", "203.0.113.5", "");
        CheckResponse wouldBeRefused = check("stagedvault", "198.51.100.5", "");
        assertThat(kept.getAllowed()).isTrue();
        assertThat(kept.getStaged().getAllowed()).isTrue();
        assertThat(kept.getStaged().getMatchedRule()).isEqualTo("203.0.113.0/24");
        assertThat(wouldBeRefused.getAllowed()).isTrue();
        assertThat(wouldBeRefused.getStaged().getAllowed()).isFalse();
        assertThat(wouldBeRefused.getStaged().getReason()).isEqualTo(Reason.REASON_DENIED);

        var promoted = admin.promoteStagedNetworkRuleSet(
                PromoteStagedNetworkRuleSetRequest.newBuilder().setVault("stagedvault").build());
        assertThat(promoted.getNetworkAcls().getIpRulesCount()).isEqualTo(1);
        assertThat(promoted.hasStagedNetworkAcls()).isFalse();
        CheckResponse enforced = check("stagedvault", "198.51.100.5", "");
        assertThat(enforced.getAllowed()).isFalse();
        assertThat(enforced.hasStaged()).isFalse();

        assertThat(status(() -> admin.promoteStagedNetworkRuleSet(
                PromoteStagedNetworkRuleSetRequest.newBuilder().setVault("stagedvault").build())).getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void replacing_the_enforced_rules_keeps_the_staged_ones_and_clearing_removes_them() {
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("keepstaged").build());
        admin.setStagedNetworkRuleSet(SetStagedNetworkRuleSetRequest.newBuilder().setVault("keepstaged")
                .setNetworkAcls(deny("None")).build());

        admin.replaceNetworkRuleSet(ReplaceNetworkRuleSetRequest.newBuilder().setVault("keepstaged")
                .setNetworkAcls(deny("None").addIpRules(ip("203.0.113.0/24"))).build());
        assertThat(check("keepstaged", "203.0.113.1", "").getStaged().getAllowed()).isFalse();

        var cleared = admin.clearStagedNetworkRuleSet(
                ClearStagedNetworkRuleSetRequest.newBuilder().setVault("keepstaged").build());
        assertThat(cleared.hasStagedNetworkAcls()).isFalse();
        assertThat(check("keepstaged", "203.0.113.1", "").hasStaged()).isFalse();
    }

    private String trustedServiceId() {
        return admin.listTrustedServices(ListTrustedServicesRequest.getDefaultInstance()).getServices(0)
                .getApplicationId();
    }

    private CheckResponse check(String vault, String address, String applicationId) {
        return decisions.check(CheckRequest.newBuilder().setVault(vault).setClientAddress(address)
                .setCaller(Caller.newBuilder().setApplicationId(applicationId)).build());
    }

    private static Status status(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("the call succeeded");
    }

    private static RequestOrigin origin(String address, String applicationId) {
        return RequestOrigin.newBuilder().setClientAddress(address).setCallerApplicationId(applicationId).build();
    }

    private static NetworkRuleSet.Builder deny(String bypass) {
        return NetworkRuleSet.newBuilder().setDefaultAction("Deny").setBypass(bypass);
    }

    private static IpRule ip(String value) {
        return IpRule.newBuilder().setValue(value).build();
    }

}
