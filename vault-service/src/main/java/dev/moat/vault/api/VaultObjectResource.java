package dev.moat.vault.api;

import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
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

    @Inject
    DataPlanePipeline pipeline;
    @Inject
    HttpRequests requests;
    @Inject
    ObjectMapper json;
    private ObjectType<J, T> type;

    /** The type this resource serves, described once its own collaborators are injected. */
    abstract ObjectType<J, T> describe();

    @PostConstruct
    void describeType() {
        type = describe();
    }

    /** {@code GET /{collection}/{name}} and {@code GET /{collection}/{name}/} (the SDKs' "latest version" form). */
    @GET
    @Path("/{name}{slash:/?}")
    public Response getLatest(@PathParam("name") String name, @BeanParam DataPlaneCall call) {
        return getVersion(name, null, call);
    }

    @GET
    @Path("/{name}/{version}")
    public Response getVersion(@PathParam("name") String name, @PathParam("version") String version,
            @BeanParam DataPlaneCall call) {
        return run(call, type.operation("GET"), (vault, out) ->
                ok(get(vault, out, name, version)));
    }

    /** {@code PATCH /{collection}/{name}/{version}}: what the type lets change of one version. */
    @PATCH
    @Path("/{name}/{version}")
    public Response update(@PathParam("name") String name, @PathParam("version") String version,
            byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, type.operation("UPDATE"), (vault, out) ->
                ok(update(vault, out, name, version, body)));
    }

    /** {@code PATCH /{collection}/{name}} (or with a trailing slash): the latest version. */
    @PATCH
    @Path("/{name}{slash:/?}")
    public Response updateLatest(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return update(name, null, body, call);
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
    public Response list(@QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @BeanParam DataPlaneCall call) {
        return runOnWire(call, type.operation("LIST"), (vault, wire, out) -> {
            int max = Paging.maxResults(maxResults);
            Page<T> page = type.service().list(vault, Paging.after(skipToken), max);
            return ok(wire.list(page, page.items().stream()
                    .map(object -> type.item().of(out, object, false)).toList(), "/" + type.collection(), max));
        });
    }

    /** {@code GET /{collection}/{name}/versions}: one item per version (ids with the version), oldest first. */
    @GET
    @Path("/{name}/versions")
    public Response versions(@PathParam("name") String name, @QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @BeanParam DataPlaneCall call) {
        return runOnWire(call, type.operation("LIST_VERSIONS"), (vault, wire, out) -> {
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
    public Response delete(@PathParam("name") String name, @BeanParam DataPlaneCall call) {
        return runOnWire(call, type.operation("DELETE"), (vault, wire, out) -> {
            var deleted = type.service().delete(vault, name);
            return ok(wire.deleted(deleted, type.collection(),
                    type.bundle().apply(out, deleted.object())));
        });
    }

    @POST
    @Path("/{name}/backup")
    public Response backup(@PathParam("name") String name, @BeanParam DataPlaneCall call) {
        return run(call, type.operation("BACKUP"), (vault, out) ->
                ok(ObjectJson.backup(type.service().backup(vault, name))));
    }

    @POST
    @Path("/restore")
    public Response restore(byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, type.operation("RESTORE"), (vault, out) -> ok(type.bundle().apply(out,
                type.service().restore(vault, ObjectJson.backupBlob(json, body, type.noun())))));
    }

    Response run(DataPlaneCall call, DataPlaneOperation operation,
            BiFunction<Vault, J, Response> work) {
        return run(pipeline, requests, call, operation, type.json(),
                (vault, out, caller) -> work.apply(vault, out));
    }

    Response runAs(DataPlaneCall call, DataPlaneOperation operation,
            Work<J> work) {
        return run(pipeline, requests, call, operation, type.json(), work);
    }

    private Response runOnWire(DataPlaneCall call, DataPlaneOperation operation, Call<J> work) {
        return run(pipeline, requests, call, operation, wire -> wire,
                (vault, wire, caller) -> work.apply(vault, wire, type.json().apply(wire)));
    }

    /**
     * Runs an operation on vault objects through the pipeline: inside it (after every check) the api-version is
     * validated and refusals by a rule become Key Vault's error JSON.
     */
    static <J> Response run(DataPlanePipeline pipeline, HttpRequests requests, DataPlaneCall call,
            DataPlaneOperation operation, Function<ObjectJson, J> json, Work<J> work) {
        return pipeline.run(requests.of(call.http, call.headers), operation, (vault, caller) -> {
            try {
                return work.apply(vault, json.apply(wire(vault, call)), caller);
            } catch (VaultObjectException refused) {
                return KeyVaultErrors.of(refused);
            }
        });
    }

    /** The shared JSON of a request: ids from its own scheme and host, the vault's recovery level. */
    static ObjectJson wire(Vault vault, DataPlaneCall call) {
        return new ObjectJson(call.http.scheme() + "://" + call.http.host(), ApiVersion.parse(call.apiVersion),
                Recovery.of(vault.properties()));
    }

    static Response ok(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
