package dev.moat.audit.api;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.moat.audit.common.Page;
import dev.moat.audit.config.AuditConfig;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.decision.DecisionFilter;
import dev.moat.audit.store.DecisionQueries;

/** Decision events: one by its id (the {@code x-moat-decision-id} a client got), or a filtered listing. */
@Path("/api/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {

    private final DecisionQueries queries;
    private final AuditConfig.Query config;

    @Inject
    DecisionResource(DecisionQueries queries, AuditConfig config) {
        this.queries = queries;
        this.config = config.query();
    }

    @GET
    @Operation(summary = "Get one decision by its id (the x-moat-decision-id a client received)")
    @Path("/{eventId}")
    public DecisionView get(@PathParam("eventId") String eventId) throws SQLException {
        return queries.find(eventId).map(DecisionView::of)
                .orElseThrow(() -> new EventNotFoundException("No decision event has the id '" + eventId + "'."));
    }

    /** Decisions newest first; every filter is optional and they all must hold. */
    @GET
    @Operation(summary = "List decisions newest first, filtered, with cursor paging")
    public ListView<DecisionView> list(@BeanParam DecisionParams params, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) throws SQLException {
        DecisionFilter filter = params.toFilter();
        int pageSize = QueryParams.limit(limit, config.defaultLimit(), config.maxLimit());
        Page<Decision> page = queries.list(filter, QueryParams.cursor(cursor), pageSize);
        return ListView.of(page.items().stream().map(DecisionView::of).toList(), page.next(), uri);
    }
}
