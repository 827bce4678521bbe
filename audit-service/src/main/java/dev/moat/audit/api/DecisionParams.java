package dev.moat.audit.api;

import jakarta.ws.rs.QueryParam;

import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.decision.DecisionFilter;
import dev.moat.audit.decision.Layer;
import dev.moat.audit.decision.Outcome;
import dev.moat.netaddr.Ipv4;
import inet.ipaddr.IPAddress;

/** The decision filters as query parameters, shared by the listing and the export. */
public class DecisionParams {

    private static final int MAX_TEXT = 1024;

    @QueryParam("vault")
    String vault;
    @QueryParam("from")
    String from;
    @QueryParam("to")
    String to;
    @QueryParam("outcome")
    String outcome;
    @QueryParam("layer")
    String layer;
    @QueryParam("authorizationType")
    String authorizationType;
    @QueryParam("clientAddress")
    String clientAddress;
    @QueryParam("subnetId")
    String subnetId;
    @QueryParam("objectId")
    String objectId;
    @QueryParam("applicationId")
    String applicationId;
    @QueryParam("operation")
    String operation;
    @QueryParam("stagedDiffers")
    String stagedDiffers;

    DecisionFilter toFilter() {
        IPAddress client = QueryParams.clientAddress("clientAddress", clientAddress);
        DecisionFilter filter = DecisionFilter.builder()
                .vault(QueryParams.text("vault", vault, MAX_TEXT))
                .from(QueryParams.time("from", from))
                .to(QueryParams.time("to", to))
                .outcome(QueryParams.label("outcome", outcome, Outcome.class))
                .layer(QueryParams.label("layer", layer, Layer.class))
                .authorizationType(QueryParams.label("authorizationType", authorizationType, AuthorizationType.class))
                .clientRange(client != null && client.isIPv4() ? Ipv4.Range.of(client) : null)
                .clientAddress(client != null && !client.isIPv4() ? client.toCanonicalString() : null)
                .subnetId(QueryParams.text("subnetId", subnetId, MAX_TEXT))
                .objectId(QueryParams.text("objectId", objectId, MAX_TEXT))
                .applicationId(QueryParams.text("applicationId", applicationId, MAX_TEXT))
                .operation(QueryParams.text("operation", operation, MAX_TEXT))
                .stagedDiffers(QueryParams.bool("stagedDiffers", stagedDiffers))
                .build();
        QueryParams.window(filter.from(), filter.to());
        return filter;
    }
}
