package dev.moat.audit.api;

import java.util.List;

/**
 * The body of {@code POST /api/v1/vaults/{vault}/what-if}: the proposed rules in ARM's {@code networkAcls} shape, and
 * the window of traffic to replay (RFC 3339; default the last {@code moat.audit.what-if.default-window}).
 */
public record WhatIfRequest(NetworkAcls networkAcls, String from, String to) {

    /** ARM {@code networkAcls}; the rules themselves are policy-service's to judge. */
    public record NetworkAcls(String defaultAction, String bypass, List<IpRule> ipRules,
            List<VirtualNetworkRule> virtualNetworkRules) {
    }

    public record IpRule(String value) {
    }

    public record VirtualNetworkRule(String id, Boolean ignoreMissingVnetServiceEndpoint) {
    }
}
