package dev.moat.policy.mapping;

import java.util.List;
import java.util.Optional;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

import dev.moat.policy.decision.Decision;
import dev.moat.policy.network.Subnet;
import dev.moat.policy.network.VirtualNetwork;
import dev.moat.policy.rules.IpRule;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.policy.rules.NetworkRuleSetInput;
import dev.moat.policy.rules.SubnetInput;
import dev.moat.policy.rules.VirtualNetworkInput;
import dev.moat.policy.rules.VirtualNetworkRuleInput;
import dev.moat.policy.trust.TrustedService;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.proto.policy.v1.Reason;
import dev.moat.proto.policy.v1.RuleSetDecision;
import dev.moat.proto.policy.v1.VaultNetworkRules;

/**
 * Between the {@code moat.policy.v1} messages and the domain. Inbound messages become raw inputs for the validators
 * (nothing is trusted before validation); outbound domain values become messages in ARM spelling.
 */
public final class ProtoMapping {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private ProtoMapping() {
    }

    public static NetworkRuleSetInput input(dev.moat.proto.policy.v1.NetworkRuleSet rules) {
        return new NetworkRuleSetInput(rules.getDefaultAction(), rules.getBypass(),
                rules.getIpRulesList().stream().map(dev.moat.proto.policy.v1.IpRule::getValue).toList(),
                rules.getVirtualNetworkRulesList().stream().map(ProtoMapping::input).toList());
    }

    public static VirtualNetworkRuleInput input(dev.moat.proto.policy.v1.VirtualNetworkRule rule) {
        return new VirtualNetworkRuleInput(rule.getId(), rule.getIgnoreMissingVnetServiceEndpoint());
    }

    public static VirtualNetworkInput input(dev.moat.proto.policy.v1.VirtualNetwork network) {
        List<SubnetInput> subnets = network.getSubnetsList().stream()
                .map(s -> new SubnetInput(s.getName(), s.getAddressPrefix(), s.getServiceEndpointsList(),
                        s.getId().isEmpty() ? null : s.getId()))
                .toList();
        return new VirtualNetworkInput(network.getId(), network.getAddressPrefixesList(), subnets);
    }

    public static VaultNetworkRules vault(String vault, Optional<NetworkRuleSet> rules) {
        VaultNetworkRules.Builder message = VaultNetworkRules.newBuilder().setVault(vault);
        rules.ifPresent(r -> message.setNetworkAcls(toProto(r)));
        return message.build();
    }

    public static dev.moat.proto.policy.v1.NetworkRuleSet toProto(NetworkRuleSet rules) {
        var message = dev.moat.proto.policy.v1.NetworkRuleSet.newBuilder()
                .setDefaultAction(rules.defaultAction().armName())
                .setBypass(rules.bypass().armName());
        for (IpRule rule : rules.ipRules()) {
            message.addIpRulesBuilder().setValue(rule.value());
        }
        for (var rule : rules.virtualNetworkRules()) {
            message.addVirtualNetworkRulesBuilder().setId(rule.subnetId().value())
                    .setIgnoreMissingVnetServiceEndpoint(rule.ignoreMissingVnetServiceEndpoint());
        }
        return message.build();
    }

    public static dev.moat.proto.policy.v1.VirtualNetwork toProto(VirtualNetwork network) {
        var message = dev.moat.proto.policy.v1.VirtualNetwork.newBuilder().setId(network.id().value());
        network.addressPrefixes().forEach(p -> message.addAddressPrefixes(p.toCanonicalString()));
        for (Subnet subnet : network.subnets()) {
            message.addSubnetsBuilder()
                    .setName(subnet.name())
                    .setId(subnet.id().value())
                    .setAddressPrefix(subnet.addressPrefix().toCanonicalString())
                    .addAllServiceEndpoints(subnet.serviceEndpoints());
        }
        return message.build();
    }

    public static dev.moat.proto.policy.v1.TrustedService toProto(TrustedService service) {
        return dev.moat.proto.policy.v1.TrustedService.newBuilder()
                .setName(service.name())
                .setApplicationId(service.applicationId().toString())
                .setScenario(service.scenario())
                .setOperatorDefined(service.operatorDefined())
                .build();
    }

    public static CheckResponse toProto(Decision decision, String decisionId) {
        CheckResponse.Builder response = CheckResponse.newBuilder().setDecisionId(decisionId)
                .setResolvedSubnetId(nullToEmpty(decision.resolvedSubnetId()))
                .setResolvedSubnetLacksKeyVaultEndpoint(decision.sourceSubnet() != null
                        && !decision.sourceSubnet().keyVaultEndpoint());
        if (decision instanceof Decision.Allowed allowed) {
            response.setAllowed(true)
                    .setReason(reason(allowed.reason()))
                    .setMatchedRule(nullToEmpty(allowed.matchedRule()))
                    .setTrustedService(allowed.trustedService() == null ? "" : allowed.trustedService().name())
                    .setMessage(allowed.message());
        } else if (decision instanceof Decision.Denied denied) {
            response.setAllowed(false)
                    .setReason(reason(denied.reason()))
                    .setMessage(denied.message());
        }
        return response.build();
    }

    /** A decision under a staged or proposed rule set: the same fields as {@link #toProto(Decision, String)}. */
    public static RuleSetDecision toRuleSetDecision(Decision decision) {
        CheckResponse check = toProto(decision, "");
        return RuleSetDecision.newBuilder()
                .setAllowed(check.getAllowed())
                .setReason(check.getReason())
                .setMatchedRule(check.getMatchedRule())
                .setTrustedService(check.getTrustedService())
                .setResolvedSubnetId(check.getResolvedSubnetId())
                .setMessage(check.getMessage())
                .build();
    }

    /** The enforced and the staged rules of a vault. */
    public static VaultNetworkRules vault(String vault, Optional<NetworkRuleSet> rules, Optional<NetworkRuleSet> staged) {
        VaultNetworkRules.Builder message = vault(vault, rules).toBuilder();
        staged.ifPresent(r -> message.setStagedNetworkAcls(toProto(r)));
        return message.build();
    }

    /** The vault's enforced and staged rules as ARM-style JSON, for change events of staged sets. */
    public static String vaultJson(String vault, Optional<NetworkRuleSet> rules, Optional<NetworkRuleSet> staged) {
        return json(vault(vault, rules, staged));
    }

    /** The vault's rules as ARM-style JSON, for change events. */
    public static String vaultJson(String vault, Optional<NetworkRuleSet> rules) {
        return json(vault(vault, rules));
    }

    /** A virtual network as ARM-style JSON, for change events. */
    public static String networkJson(VirtualNetwork network) {
        return json(toProto(network));
    }

    private static Reason reason(dev.moat.policy.decision.Reason reason) {
        return switch (reason) {
            case DEFAULT_ALLOW -> Reason.REASON_DEFAULT_ALLOW;
            case TRUSTED_SERVICE -> Reason.REASON_TRUSTED_SERVICE;
            case VIRTUAL_NETWORK_RULE -> Reason.REASON_VIRTUAL_NETWORK_RULE;
            case IP_RULE -> Reason.REASON_IP_RULE;
            case DENIED -> Reason.REASON_DENIED;
            case UNKNOWN_VAULT -> Reason.REASON_UNKNOWN_VAULT;
        };
    }

    private static String json(MessageOrBuilder message) {
        try {
            return JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
