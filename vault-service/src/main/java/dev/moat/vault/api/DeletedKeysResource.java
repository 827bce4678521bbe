package dev.moat.vault.api;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.keys.DeletedKey;
import dev.moat.vault.keys.KeyService;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.secrets.Page;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * Soft-deleted keys ({@code /deletedkeys}): get and list (which the SDK's delete poller calls), recover, and purge
 * (204). Through {@link DataPlanePipeline}, like every data-plane operation.
 */
@Path("/deletedkeys")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeletedKeysResource {

    private final DataPlanePipeline pipeline;
    private final HttpRequests requests;
    private final KeyService keys;

    public DeletedKeysResource(DataPlanePipeline pipeline, HttpRequests requests, KeyService keys) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.keys = keys;
    }

    @GET
    public Response list(@QueryParam("api-version") String apiVersion, @QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return KeysResource.run(pipeline, requests, http, headers, Operation.KEY_LIST_DELETED, apiVersion,
                (vault, out) -> {
                    int max = Paging.maxResults(maxResults);
                    Page<DeletedKey> page = keys.listDeleted(vault, Paging.after(skipToken), max);
                    return KeysResource.ok(out.list(page, page.items().stream().map(out::deletedItem).toList(),
                            "/deletedkeys", max));
                });
    }

    @GET
    @Path("/{name}{slash:/?}")
    public Response get(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return KeysResource.run(pipeline, requests, http, headers, Operation.KEY_GET_DELETED, apiVersion,
                (vault, out) -> KeysResource.ok(out.deleted(keys.getDeleted(vault, name))));
    }

    /** {@code DELETE /deletedkeys/{name}}: purge, 204. */
    @DELETE
    @Path("/{name}{slash:/?}")
    public Response purge(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return KeysResource.run(pipeline, requests, http, headers, Operation.KEY_PURGE, apiVersion,
                (vault, out) -> {
                    keys.purge(vault, name);
                    return Response.noContent().build();
                });
    }

    @POST
    @Path("/{name}/recover")
    public Response recover(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return KeysResource.run(pipeline, requests, http, headers, Operation.KEY_RECOVER, apiVersion,
                (vault, out) -> KeysResource.ok(out.bundle(keys.recover(vault, name))));
    }
}
