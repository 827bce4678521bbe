package dev.moat.vault.api;

import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.auth.Identity;
import dev.moat.vault.objects.Named;
import dev.moat.vault.objects.Page;
import dev.moat.vault.objects.Recovery;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.DataPlaneOperation;
import dev.moat.vault.vaults.Vault;
import io.vertx.core.http.HttpServerRequest;

/**
 * The endpoints every type of vault object has under its collection ({@code GET /secrets},
 * {@code GET /secrets/{name}/versions}, {@code DELETE /secrets/{name}}, backup and restore), written once; a type's
 * resource extends it with its own endpoints. Every operation runs through {@link DataPlanePipeline}, which runs it
 * only after the token, the firewall and the access policy allowed it; inside, the api-version is checked and a
 * refusal by a rule becomes Key Vault's error JSON. Request bodies are parsed inside the operation, so nothing of a
 * refused request is looked at.
 *
 * @param <J> the type's own JSON
 * @param <T> what the type returns for one version
 */
public abstract class VaultObjectResource<J, T extends Named> {

    /** An operation that also needs the caller (the cryptography, whose {@code key_ops} refusal names it). */
    @FunctionalInterface
    interface Work<J> {
        Response apply(Vault vault, J out, Identity caller);
    }

    /** An operation with the shared JSON of its request beside the type's own. */
    @FunctionalInterface
    interface Call<J> {
        Response apply(Vault vault, ObjectJson wire, J out);
    }

    final DataPlanePipeline pipeline;
    final HttpRequests requests;
    final ObjectMapper json;
    private final ObjectType<J, T> type;

    VaultObjectResource(DataPlanePipeline pipeline, HttpRequests requests, ObjectMapper json, ObjectType<J, T> type) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.json = json;
        this.type = type;
    }

    /** {@code GET /{collection}/{name}} and {@code GET /{collection}/{name}/} (the SDKs' "latest version" form). */
    @GET
    @Path("/{name}{slash:/?}")
    public Response getLatest(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return getVersion(name, null, apiVersion, http, headers);
    }

    @GET
    @Path("/{name}/{version}")
    public Response getVersion(@PathParam("name") String name, @PathParam("version") String version,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, type.operation("GET"), apiVersion, (vault, out) ->
                ok(get(vault, out, name, version)));
    }

    /** {@code PATCH /{collection}/{name}/{version}}: what the type lets change of one version. */
    @PATCH
    @Path("/{name}/{version}")
    public Response update(@PathParam("name") String name, @PathParam("version") String version,
            @QueryParam("api-version") String apiVersion, byte[] body, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, type.operation("UPDATE"), apiVersion, (vault, out) ->
                ok(update(vault, out, name, version, body)));
    }

    /** {@code PATCH /{collection}/{name}} (or with a trailing slash): the latest version. */
    @PATCH
    @Path("/{name}{slash:/?}")
    public Response updateLatest(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return update(name, null, apiVersion, body, http, headers);
    }

    /** The type this resource serves; {@link DeletedObjectsResource} finds every type through its resource. */
    ObjectType<J, T> type() {
        return type;
    }

    /** The …Bundle of a version ({@code version} null: the latest), as get answers it. */
    abstract Object get(Vault vault, J out, String name, String version);

    /** Applies an update body to a version ({@code version} null: the latest); the …Bundle after it. */
    abstract Object update(Vault vault, J out, String name, String version, byte[] body);

    /** {@code GET /{collection}}: live objects, each with its latest version's attributes. */
    @GET
    public Response list(@QueryParam("api-version") String apiVersion, @QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return call(http, headers, type.operation("LIST"), apiVersion, (vault, wire, out) -> {
            int max = Paging.maxResults(maxResults);
            Page<T> page = type.service().list(vault, Paging.after(skipToken), max);
            return ok(wire.list(page, page.items().stream()
                    .map(object -> type.item().of(out, object, false)).toList(), "/" + type.collection(), max));
        });
    }

    /** {@code GET /{collection}/{name}/versions}: one item per version (ids with the version), oldest first. */
    @GET
    @Path("/{name}/versions")
    public Response versions(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @QueryParam("maxresults") String maxResults, @QueryParam("$skiptoken") String skipToken,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return call(http, headers, type.operation("LIST_VERSIONS"), apiVersion, (vault, wire, out) -> {
            int max = Paging.maxResults(maxResults);
            Page<T> page = type.service().versions(vault, name, Paging.after(skipToken), max);
            return ok(wire.list(page, page.items().stream()
                    .map(object -> type.item().of(out, object, true)).toList(),
                    "/" + type.collection() + "/" + name + "/versions", max));
        });
    }

    /** {@code DELETE /{collection}/{name}}: soft delete of every version. */
    @DELETE
    @Path("/{name}{slash:/?}")
    public Response delete(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return call(http, headers, type.operation("DELETE"), apiVersion, (vault, wire, out) -> {
            var deleted = type.service().delete(vault, name);
            return ok(wire.deleted(deleted, type.collection(),
                    type.bundle().apply(out, deleted.object())));
        });
    }

    @POST
    @Path("/{name}/backup")
    public Response backup(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, type.operation("BACKUP"), apiVersion, (vault, out) ->
                ok(ObjectJson.backup(type.service().backup(vault, name))));
    }

    @POST
    @Path("/restore")
    public Response restore(@QueryParam("api-version") String apiVersion, byte[] body,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, type.operation("RESTORE"), apiVersion, (vault, out) -> ok(type.bundle().apply(out,
                type.service().restore(vault, ObjectJson.backupBlob(json, body, type.noun())))));
    }

    Response run(HttpServerRequest http, HttpHeaders headers, DataPlaneOperation operation, String apiVersion,
            BiFunction<Vault, J, Response> work) {
        return run(pipeline, requests, http, headers, operation, apiVersion, type.json(),
                (vault, out, caller) -> work.apply(vault, out));
    }

    Response runAs(HttpServerRequest http, HttpHeaders headers, DataPlaneOperation operation, String apiVersion,
            Work<J> work) {
        return run(pipeline, requests, http, headers, operation, apiVersion, type.json(), work);
    }

    private Response call(HttpServerRequest http, HttpHeaders headers, DataPlaneOperation operation, String apiVersion,
            Call<J> call) {
        return run(pipeline, requests, http, headers, operation, apiVersion, wire -> wire,
                (vault, wire, caller) -> call.apply(vault, wire, type.json().apply(wire)));
    }

    /**
     * Runs an operation on vault objects through the pipeline: inside it (after every check) the api-version is
     * validated and refusals by a rule become Key Vault's error JSON.
     */
    static <J> Response run(DataPlanePipeline pipeline, HttpRequests requests, HttpServerRequest http,
            HttpHeaders headers, DataPlaneOperation operation, String apiVersion, Function<ObjectJson, J> json,
            Work<J> work) {
        return pipeline.run(requests.of(http, headers), operation, (vault, caller) -> {
            try {
                return work.apply(vault, json.apply(wire(vault, http, apiVersion)), caller);
            } catch (VaultObjectException refused) {
                return KeyVaultErrors.of(refused);
            }
        });
    }

    /** The shared JSON of a request: ids from its own scheme and host, the vault's recovery level. */
    static ObjectJson wire(Vault vault, HttpServerRequest http, String apiVersion) {
        return new ObjectJson(http.scheme() + "://" + http.host(), ApiVersion.parse(apiVersion),
                Recovery.of(vault.properties()));
    }

    static Response ok(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
