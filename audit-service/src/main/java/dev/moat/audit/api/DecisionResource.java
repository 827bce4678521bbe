package dev.moat.audit.api;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import dev.moat.audit.common.Page;
import dev.moat.audit.common.PageCursor;
import dev.moat.audit.config.AuditConfig;
import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.decision.DecisionFilter;
import dev.moat.audit.decision.Layer;
import dev.moat.audit.decision.Outcome;
import dev.moat.audit.store.DecisionQueries;

/** Decision events: one by its id (the {@code x-moat-decision-id} a client got), or a filtered listing. */
@Path("/api/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {

    private static final int MAX_TEXT = 1024;

    private final DecisionQueries queries;
    private final AuditConfig.Query config;

    @Inject
    DecisionResource(DecisionQueries queries, AuditConfig config) {
        this.queries = queries;
        this.config = config.query();
    }

    @GET
    @Path("/{eventId}")
    public DecisionView get(@PathParam("eventId") String eventId) throws SQLException {
        return queries.find(eventId).map(DecisionView::of)
                .orElseThrow(() -> new EventNotFoundException("No decision event has the id '" + eventId + "'."));
    }

    /** Decisions newest first; every filter is optional and they all must hold. */
    @GET
    public ListView<DecisionView> list(@QueryParam("vault") String vault, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("outcome") String outcome, @QueryParam("layer") String layer,
            @QueryParam("authorizationType") String authorizationType,
            @QueryParam("clientAddress") String clientAddress, @QueryParam("subnetId") String subnetId,
            @QueryParam("objectId") String objectId, @QueryParam("applicationId") String applicationId,
            @QueryParam("operation") String operation, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) throws SQLException {
        DecisionFilter filter = DecisionFilter.builder()
                .vault(QueryParams.text("vault", vault, MAX_TEXT))
                .from(QueryParams.time("from", from))
                .to(QueryParams.time("to", to))
                .outcome(QueryParams.label("outcome", outcome, Outcome.class))
                .layer(QueryParams.label("layer", layer, Layer.class))
                .authorizationType(QueryParams.label("authorizationType", authorizationType, AuthorizationType.class))
                .clientRange(QueryParams.clientAddress("clientAddress", clientAddress))
                .subnetId(QueryParams.text("subnetId", subnetId, MAX_TEXT))
                .objectId(QueryParams.text("objectId", objectId, MAX_TEXT))
                .applicationId(QueryParams.text("applicationId", applicationId, MAX_TEXT))
                .operation(QueryParams.text("operation", operation, MAX_TEXT))
                .build();
        QueryParams.window(filter.from(), filter.to());
        int pageSize = QueryParams.limit(limit, config.defaultLimit(), config.maxLimit());
        Page<Decision> page = queries.list(filter, QueryParams.cursor(cursor), pageSize);
        return new ListView<>(page.items().stream().map(DecisionView::of).toList(),
                page.next().map(next -> nextLink(uri, next)).orElse(null));
    }

    static String nextLink(UriInfo uri, PageCursor next) {
        return uri.getRequestUriBuilder().replaceQueryParam("cursor", next.encode()).build().toString();
    }
}
