package dev.moat.audit.api;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.audit.client.PolicyEvaluationClient;
import dev.moat.audit.config.AuditConfig;
import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.store.WhatIfQueries;
import dev.moat.audit.whatif.SeenOrigin;
import dev.moat.audit.whatif.Verdict;
import dev.moat.audit.whatif.WhatIf;
import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.proto.policy.v1.RequestOrigin;
import dev.moat.proto.policy.v1.RuleSetDecision;
import io.smallrye.common.annotation.Blocking;

/**
 * "If I apply these rules, who that reached this vault lately is locked out, and who is let in?": the distinct
 * origins of the window, decided again by policy-service under the proposed rules (validated as a real update,
 * stored nowhere), compared with how they were decided.
 */
@Path("/api/v1/vaults/{vault}/what-if")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class WhatIfResource {

    private final WhatIfQueries queries;
    private final PolicyEvaluationClient policy;
    private final ObjectMapper json;
    private final AuditConfig.WhatIf config;

    @Inject
    WhatIfResource(WhatIfQueries queries, PolicyEvaluationClient policy, ObjectMapper json, AuditConfig config) {
        this.queries = queries;
        this.policy = policy;
        this.json = json;
        this.config = config.whatIf();
    }

    @POST
    @Operation(summary = "What a proposed network rule set would do to the origins the vault has seen")
    public WhatIfView whatIf(@PathParam("vault") String vault, String body) throws SQLException {
        String name = QueryParams.text("vault", vault, 128).toLowerCase(Locale.ROOT);
        WhatIfRequest request = read(body);
        Instant end = QueryParams.time("to", request.to());
        end = end == null ? Instant.now() : end;
        Instant start = QueryParams.time("from", request.from());
        start = start == null ? end.minus(config.defaultWindow()) : start;
        QueryParams.window(start, end);
        NetworkRuleSet proposed = proposed(request.networkAcls());

        List<SeenOrigin> seen = queries.seenOrigins(name, start, end);
        List<Verdict> after = new ArrayList<>(seen.size());
        int batch = Math.max(1, config.batchSize());
        // at least one call even with no traffic: invalid rules are refused whatever the window holds
        for (int i = 0; i == 0 || i < seen.size(); i += batch) {
            List<RequestOrigin> origins = seen.subList(i, Math.min(seen.size(), i + batch)).stream()
                    .map(WhatIfResource::origin).toList();
            policy.evaluate(name, proposed, origins).forEach(d -> after.add(verdict(d)));
        }
        return WhatIfView.of(name, start, end, WhatIf.compare(seen, after));
    }

    private WhatIfRequest read(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRuleSetException("The request body is required: {\"networkAcls\": {...}, \"from\": ..., "
                    + "\"to\": ...}.");
        }
        try {
            return json.readValue(body, WhatIfRequest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRuleSetException("The request body is not valid: " + e.getOriginalMessage());
        }
    }

    /** The ARM shape to policy-service's message, as the management plane maps it. */
    private static NetworkRuleSet proposed(WhatIfRequest.NetworkAcls acls) {
        if (acls == null) {
            throw new InvalidRuleSetException("The 'networkAcls' property is required: the proposed rules, as ARM's "
                    + "properties.networkAcls.");
        }
        NetworkRuleSet.Builder rules = NetworkRuleSet.newBuilder();
        if (acls.defaultAction() != null) {
            rules.setDefaultAction(acls.defaultAction());
        }
        if (acls.bypass() != null) {
            rules.setBypass(acls.bypass());
        }
        List<WhatIfRequest.IpRule> ipRules = acls.ipRules() == null ? List.of() : acls.ipRules();
        for (int i = 0; i < ipRules.size(); i++) {
            if (ipRules.get(i) == null || ipRules.get(i).value() == null) {
                throw new InvalidRuleSetException("The 'networkAcls.ipRules[" + i + "].value' property is required: "
                        + "an IPv4 address or CIDR range.");
            }
            rules.addIpRulesBuilder().setValue(ipRules.get(i).value());
        }
        List<WhatIfRequest.VirtualNetworkRule> vnetRules =
                acls.virtualNetworkRules() == null ? List.of() : acls.virtualNetworkRules();
        for (int i = 0; i < vnetRules.size(); i++) {
            WhatIfRequest.VirtualNetworkRule rule = vnetRules.get(i);
            if (rule == null || rule.id() == null) {
                throw new InvalidRuleSetException("The 'networkAcls.virtualNetworkRules[" + i + "].id' property is "
                        + "required: the full id of a subnet.");
            }
            rules.addVirtualNetworkRulesBuilder().setId(rule.id())
                    .setIgnoreMissingVnetServiceEndpoint(Boolean.TRUE.equals(rule.ignoreMissingVnetServiceEndpoint()));
        }
        return rules.build();
    }

    private static RequestOrigin origin(SeenOrigin seen) {
        RequestOrigin.Builder origin = RequestOrigin.newBuilder().setClientAddress(seen.origin().clientAddress());
        if (seen.origin().subnetId() != null) {
            origin.setSourceSubnetId(seen.origin().subnetId());
        }
        if (seen.origin().applicationId() != null) {
            origin.setCallerApplicationId(seen.origin().applicationId());
        }
        return origin.build();
    }

    private static Verdict verdict(RuleSetDecision decision) {
        AuthorizationType type = switch (decision.getReason()) {
            case REASON_DEFAULT_ALLOW -> AuthorizationType.DEFAULT_ALLOW;
            case REASON_TRUSTED_SERVICE -> AuthorizationType.TRUSTED_SERVICE;
            case REASON_VIRTUAL_NETWORK_RULE -> AuthorizationType.VIRTUAL_NETWORK_RULE;
            case REASON_IP_RULE -> AuthorizationType.IP_RULE;
            case REASON_UNKNOWN_VAULT -> AuthorizationType.UNKNOWN_VAULT;
            default -> AuthorizationType.DENIED;
        };
        // an answer that does not say it allows is a denial (fail closed, as vault-service reads Check)
        boolean allowed = decision.getAllowed() && type != AuthorizationType.DENIED
                && type != AuthorizationType.UNKNOWN_VAULT;
        return new Verdict(allowed, type, blankToNull(decision.getMatchedRule()),
                blankToNull(decision.getTrustedService()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
