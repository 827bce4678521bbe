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

import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.secrets.DeletedSecret;
import dev.moat.vault.secrets.Page;
import dev.moat.vault.secrets.SecretService;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * Soft-deleted secrets ({@code /deletedsecrets}): get and list (which the SDK's delete poller calls), recover, and
 * purge (204). Through {@link DataPlanePipeline}, like every data-plane operation.
 */
@Path("/deletedsecrets")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeletedSecretsResource {

    private final DataPlanePipeline pipeline;
    private final HttpRequests requests;
    private final SecretService secrets;

    public DeletedSecretsResource(DataPlanePipeline pipeline, HttpRequests requests, SecretService secrets) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.secrets = secrets;
    }

    @GET
    public Response list(@QueryParam("api-version") String apiVersion, @QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return SecretsResource.run(pipeline, requests, http, headers, Operation.SECRET_LIST_DELETED, apiVersion,
                (vault, out) -> {
                    int max = Paging.maxResults(maxResults);
                    Page<DeletedSecret> page = secrets.listDeleted(vault, Paging.after(skipToken), max);
                    return SecretsResource.ok(out.list(page, page.items().stream().map(out::deletedItem).toList(),
                            "/deletedsecrets", max));
                });
    }

    @GET
    @Path("/{name}{slash:/?}")
    public Response get(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return SecretsResource.run(pipeline, requests, http, headers, Operation.SECRET_GET_DELETED, apiVersion,
                (vault, out) -> SecretsResource.ok(out.deleted(secrets.getDeleted(vault, name))));
    }

    /** {@code DELETE /deletedsecrets/{name}}: purge, 204. */
    @DELETE
    @Path("/{name}{slash:/?}")
    public Response purge(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return SecretsResource.run(pipeline, requests, http, headers, Operation.SECRET_PURGE, apiVersion,
                (vault, out) -> {
                    secrets.purge(vault, name);
                    return Response.noContent().build();
                });
    }

    @POST
    @Path("/{name}/recover")
    public Response recover(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return SecretsResource.run(pipeline, requests, http, headers, Operation.SECRET_RECOVER, apiVersion,
                (vault, out) -> SecretsResource.ok(out.bundle(secrets.recover(vault, name))));
    }
}
