package dev.moat.vault.api;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.objects.Deleted;
import dev.moat.vault.objects.Named;
import dev.moat.vault.objects.Page;
import dev.moat.vault.pipeline.DataPlanePipeline;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * Soft-deleted objects of every type ({@code /deletedsecrets}, {@code /deletedkeys}, {@code /deletedcertificates}):
 * get and list (which the SDKs' delete pollers call), recover, and purge (204). A collection that names no type is
 * answered as any path no operation serves ({@link UnrecognisedRequests}). Through {@link DataPlanePipeline}, like
 * every data-plane operation.
 */
@Path("/deleted{collection:[a-z]+}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeletedObjectsResource {

    private final DataPlanePipeline pipeline;
    private final HttpRequests requests;
    private final Instance<VaultObjectResource<?, ?>> types;

    /** @param types the resource of every type of vault object, each naming its {@link ObjectType} */
    public DeletedObjectsResource(DataPlanePipeline pipeline, HttpRequests requests,
            Instance<VaultObjectResource<?, ?>> types) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.types = types;
    }

    @GET
    public Response list(@PathParam("collection") String collection, @QueryParam("api-version") String apiVersion,
            @QueryParam("maxresults") String maxResults, @QueryParam("$skiptoken") String skipToken,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return list(type(collection), apiVersion, maxResults, skipToken, http, headers);
    }

    @GET
    @Path("/{name}{slash:/?}")
    public Response get(@PathParam("collection") String collection, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return get(type(collection), name, apiVersion, http, headers);
    }

    /** {@code DELETE /deleted{collection}/{name}}: purge, 204. */
    @DELETE
    @Path("/{name}{slash:/?}")
    public Response purge(@PathParam("collection") String collection, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        ObjectType<?, ?> type = type(collection);
        return VaultObjectResource.run(pipeline, requests, http, headers, type.operation("PURGE"), apiVersion,
                wire -> wire, (vault, wire, caller) -> {
                    type.service().purge(vault, name);
                    return Response.noContent().build();
                });
    }

    @POST
    @Path("/{name}/recover")
    public Response recover(@PathParam("collection") String collection, @PathParam("name") String name,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return recover(type(collection), name, apiVersion, http, headers);
    }

    private <J, T extends Named> Response list(ObjectType<J, T> type, String apiVersion, String maxResults,
            String skipToken, HttpServerRequest http, HttpHeaders headers) {
        return VaultObjectResource.run(pipeline, requests, http, headers, type.operation("LIST_DELETED"), apiVersion,
                wire -> wire, (vault, wire, caller) -> {
                    int max = Paging.maxResults(maxResults);
                    Page<Deleted<T>> page = type.service().listDeleted(vault, Paging.after(skipToken), max);
                    J out = type.json().apply(wire);
                    return VaultObjectResource.ok(wire.list(page, page.items().stream().map(deleted -> wire.deleted(
                            deleted, type.collection(), type.item().of(out, deleted.object(), false))).toList(),
                            "/deleted" + type.collection(), max));
                });
    }

    private <J, T extends Named> Response get(ObjectType<J, T> type, String name, String apiVersion,
            HttpServerRequest http, HttpHeaders headers) {
        return VaultObjectResource.run(pipeline, requests, http, headers, type.operation("GET_DELETED"), apiVersion,
                wire -> wire, (vault, wire, caller) -> {
                    Deleted<T> deleted = type.service().getDeleted(vault, name);
                    return VaultObjectResource.ok(wire.deleted(deleted, type.collection(),
                            type.bundle().apply(type.json().apply(wire), deleted.object())));
                });
    }

    private <J, T extends Named> Response recover(ObjectType<J, T> type, String name, String apiVersion,
            HttpServerRequest http, HttpHeaders headers) {
        return VaultObjectResource.run(pipeline, requests, http, headers, type.operation("RECOVER"), apiVersion,
                type.json(), (vault, out, caller) -> VaultObjectResource.ok(type.bundle().apply(out,
                        type.service().recover(vault, name))));
    }

    private ObjectType<?, ?> type(String collection) {
        // like any path no operation serves: UnrecognisedRequests records it and answers Key Vault's 404
        return types.stream().<ObjectType<?, ?>>map(VaultObjectResource::type)
                .filter(type -> type.collection().equals(collection)).findFirst().orElseThrow(NotFoundException::new);
    }
}
