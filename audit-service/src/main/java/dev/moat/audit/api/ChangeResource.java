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

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.moat.audit.change.Change;
import dev.moat.audit.change.ChangeFilter;
import dev.moat.audit.change.ResourceKind;
import dev.moat.audit.common.Page;
import dev.moat.audit.config.AuditConfig;
import dev.moat.audit.store.ChangeQueries;

/** The history of management changes: a vault's network rules and access policies, virtual networks. */
@Path("/api/v1/changes")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeResource {

    private static final int MAX_TEXT = 1024;

    private final ChangeQueries queries;
    private final AuditConfig.Query config;
    private final ObjectMapper json;

    @Inject
    ChangeResource(ChangeQueries queries, AuditConfig config, ObjectMapper json) {
        this.queries = queries;
        this.config = config.query();
        this.json = json;
    }

    @GET
    @Operation(summary = "Get one management change by its id")
    @Path("/{eventId}")
    public ChangeView get(@PathParam("eventId") String eventId) throws SQLException {
        return queries.find(eventId).map(c -> ChangeView.of(c, json))
                .orElseThrow(() -> new EventNotFoundException("No change event has the id '" + eventId + "'."));
    }

    /** Changes newest first; every filter is optional and they all must hold. */
    @GET
    @Operation(summary = "List management changes newest first: who changed what, before and after")
    public ListView<ChangeView> list(@QueryParam("vault") String vault, @QueryParam("kind") String kind,
            @QueryParam("resourceId") String resourceId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor, @Context UriInfo uri)
            throws SQLException {
        ChangeFilter filter = new ChangeFilter(
                QueryParams.text("vault", vault, MAX_TEXT),
                QueryParams.label("kind", kind, ResourceKind.class),
                QueryParams.text("resourceId", resourceId, MAX_TEXT),
                QueryParams.time("from", from),
                QueryParams.time("to", to));
        QueryParams.window(filter.from(), filter.to());
        int pageSize = QueryParams.limit(limit, config.defaultLimit(), config.maxLimit());
        Page<Change> page = queries.list(filter, QueryParams.cursor(cursor), pageSize);
        return ListView.of(page.items().stream().map(c -> ChangeView.of(c, json)).toList(), page.next(), uri);
    }
}
