package dev.moat.vault.api;

import java.util.function.BiFunction;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.secrets.Page;
import dev.moat.vault.secrets.Recovery;
import dev.moat.vault.secrets.SecretProperties;
import dev.moat.vault.secrets.SecretService;
import dev.moat.vault.secrets.SecretsException;
import dev.moat.vault.vaults.Vault;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * Key Vault secrets, data plane ({@code https://{vault}.{suffix}/secrets/...}), wire-compatible with api-version 7.0 to
 * 7.6 and 2025-07-01. Every method hands its work to {@link DataPlanePipeline}, which runs it only after the token, the
 * firewall and the access policy allowed the request; request bodies are read as bytes and parsed inside the
 * operation, so nothing of a refused request is looked at.
 */
@Path("/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SecretsResource {

    private final DataPlanePipeline pipeline;
    private final HttpRequests requests;
    private final SecretService secrets;
    private final ObjectMapper json;

    public SecretsResource(DataPlanePipeline pipeline, HttpRequests requests, SecretService secrets, ObjectMapper json) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.secrets = secrets;
        this.json = json;
    }

    /** {@code PUT /secrets/{name}}: a new version (the first creates the secret). */
    @PUT
    @Path("/{name}{slash:/?}")
    public Response set(@PathParam("name") String name, @QueryParam("api-version") String apiVersion, byte[] body,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_SET, apiVersion, (vault, out) ->
                ok(out.bundle(secrets.set(vault, name, SecretJson.write(json, body)))));
    }

    /** {@code GET /secrets/{name}} and {@code GET /secrets/{name}/} (the SDK's "latest version" form). */
    @GET
    @Path("/{name}{slash:/?}")
    public Response getLatest(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_GET, apiVersion, (vault, out) ->
                ok(out.bundle(secrets.get(vault, name, null))));
    }

    @GET
    @Path("/{name}/{version}")
    public Response getVersion(@PathParam("name") String name, @PathParam("version") String version,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_GET, apiVersion, (vault, out) ->
                ok(out.bundle(secrets.get(vault, name, version))));
    }

    /** {@code PATCH /secrets/{name}/{version}}: attributes, content type, tags of one version. */
    @PATCH
    @Path("/{name}/{version}")
    public Response update(@PathParam("name") String name, @PathParam("version") String version,
            @QueryParam("api-version") String apiVersion, byte[] body, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_UPDATE, apiVersion, (vault, out) ->
                ok(out.bundle(secrets.update(vault, name, version, SecretJson.patch(json, body)))));
    }

    /** {@code PATCH /secrets/{name}} (or with a trailing slash): the latest version. */
    @PATCH
    @Path("/{name}{slash:/?}")
    public Response updateLatest(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_UPDATE, apiVersion, (vault, out) ->
                ok(out.bundle(secrets.update(vault, name, null, SecretJson.patch(json, body)))));
    }

    /** {@code GET /secrets}: live secrets, each with its latest version's attributes. */
    @GET
    public Response list(@QueryParam("api-version") String apiVersion, @QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_LIST, apiVersion, (vault, out) -> {
            int max = Paging.maxResults(maxResults);
            Page<SecretProperties> page = secrets.list(vault, Paging.after(skipToken), max);
            return ok(out.list(page, page.items().stream().map(p -> out.item(p, false)).toList(), "/secrets", max));
        });
    }

    @GET
    @Path("/{name}/versions")
    public Response versions(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @QueryParam("maxresults") String maxResults, @QueryParam("$skiptoken") String skipToken,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_LIST_VERSIONS, apiVersion, (vault, out) -> {
            int max = Paging.maxResults(maxResults);
            Page<SecretProperties> page = secrets.versions(vault, name, Paging.after(skipToken), max);
            return ok(out.list(page, page.items().stream().map(p -> out.item(p, true)).toList(),
                    "/secrets/" + name + "/versions", max));
        });
    }

    /** {@code DELETE /secrets/{name}}: soft delete of every version. */
    @DELETE
    @Path("/{name}{slash:/?}")
    public Response delete(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_DELETE, apiVersion, (vault, out) ->
                ok(out.deleted(secrets.delete(vault, name))));
    }

    @POST
    @Path("/{name}/backup")
    public Response backup(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_BACKUP, apiVersion, (vault, out) ->
                ok(SecretJson.backup(secrets.backup(vault, name))));
    }

    @POST
    @Path("/restore")
    public Response restore(@QueryParam("api-version") String apiVersion, byte[] body,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_RESTORE, apiVersion, (vault, out) ->
                ok(out.bundle(secrets.restore(vault, SecretJson.backupBlob(json, body)))));
    }

    private Response run(HttpServerRequest http, HttpHeaders headers, Operation operation, String apiVersion,
            BiFunction<Vault, SecretJson, Response> work) {
        return run(pipeline, requests, http, headers, operation, apiVersion, work);
    }

    /**
     * Runs a secrets operation through the pipeline: inside it (after every check) the api-version is validated and
     * refusals by a rule become Key Vault's error JSON.
     */
    static Response run(DataPlanePipeline pipeline, HttpRequests requests, HttpServerRequest http,
            HttpHeaders headers, Operation operation, String apiVersion, BiFunction<Vault, SecretJson, Response> work) {
        return pipeline.run(requests.of(http, headers), operation, vault -> {
            try {
                SecretJson out = new SecretJson(http.scheme() + "://" + http.host(), ApiVersion.parse(apiVersion),
                        Recovery.of(vault.properties()));
                return work.apply(vault, out);
            } catch (SecretsException refused) {
                return KeyVaultErrors.of(refused);
            }
        });
    }

    static Response ok(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
