package dev.moat.vault.api;

import java.util.Map;
import java.util.function.BiFunction;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
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

import dev.moat.vault.auth.Identity;
import dev.moat.vault.keys.KeyBundle;
import dev.moat.vault.keys.KeyOperation;
import dev.moat.vault.keys.KeyService;
import dev.moat.vault.keys.KeysException;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.secrets.Page;
import dev.moat.vault.secrets.Recovery;
import dev.moat.vault.secrets.SecretsException;
import dev.moat.vault.vaults.Vault;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * Key Vault keys, data plane ({@code https://{vault}.{suffix}/keys/...}), wire-compatible with api-version 7.0 to 7.6
 * and 2025-07-01 (azure-compat.md section 5.2). Every method hands its work to {@link DataPlanePipeline}, which runs it
 * only after the token, the firewall and the access policy (the permission of its {@link Operation}) allowed it;
 * bodies are parsed inside the operation. An empty version segment ({@code /keys/{name}//sign}, the SDK's form
 * without a version) means the latest version.
 */
@Path("/keys")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class KeysResource {

    private final DataPlanePipeline pipeline;
    private final HttpRequests requests;
    private final KeyService keys;
    private final ObjectMapper json;

    public KeysResource(DataPlanePipeline pipeline, HttpRequests requests, KeyService keys, ObjectMapper json) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.keys = keys;
        this.json = json;
    }

    /** {@code POST /keys/{name}/create}: a new key, or a new version of one. */
    @POST
    @Path("/{name}/create")
    public Response create(@PathParam("name") String name, @QueryParam("api-version") String apiVersion, byte[] body,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_CREATE, apiVersion, (vault, out) ->
                ok(out.bundle(keys.create(vault, name, KeyJson.create(json, body)))));
    }

    /** {@code PUT /keys/{name}}: import a JWK with its private key. */
    @PUT
    @Path("/{name}{slash:/?}")
    public Response importKey(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_IMPORT, apiVersion, (vault, out) ->
                ok(out.bundle(keys.importKey(vault, name, KeyJson.importKey(json, body)))));
    }

    /** {@code GET /keys/{name}} and {@code GET /keys/{name}/}: the latest version. */
    @GET
    @Path("/{name}{slash:/?}")
    public Response getLatest(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_GET, apiVersion, (vault, out) ->
                ok(out.bundle(keys.get(vault, name, null))));
    }

    @GET
    @Path("/{name}/{version}")
    public Response getVersion(@PathParam("name") String name, @PathParam("version") String version,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_GET, apiVersion, (vault, out) ->
                ok(out.bundle(keys.get(vault, name, version))));
    }

    /** {@code PATCH /keys/{name}/{version}}: {@code key_ops}, attributes, tags of one version. */
    @PATCH
    @Path("/{name}/{version}")
    public Response update(@PathParam("name") String name, @PathParam("version") String version,
            @QueryParam("api-version") String apiVersion, byte[] body, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_UPDATE, apiVersion, (vault, out) ->
                ok(out.bundle(keys.update(vault, name, version, KeyJson.patch(json, body)))));
    }

    /** {@code PATCH /keys/{name}} (or {@code /keys/{name}/}): the latest version. */
    @PATCH
    @Path("/{name}{slash:/?}")
    public Response updateLatest(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_UPDATE, apiVersion, (vault, out) ->
                ok(out.bundle(keys.update(vault, name, null, KeyJson.patch(json, body)))));
    }

    /** {@code GET /keys}: live keys, each with its latest version's attributes. */
    @GET
    public Response list(@QueryParam("api-version") String apiVersion, @QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_LIST, apiVersion, (vault, out) -> {
            int max = Paging.maxResults(maxResults);
            Page<KeyBundle> page = keys.list(vault, Paging.after(skipToken), max);
            return ok(out.list(page, page.items().stream().map(k -> out.item(k, false)).toList(), "/keys", max));
        });
    }

    @GET
    @Path("/{name}/versions")
    public Response versions(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @QueryParam("maxresults") String maxResults, @QueryParam("$skiptoken") String skipToken,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_LIST_VERSIONS, apiVersion, (vault, out) -> {
            int max = Paging.maxResults(maxResults);
            Page<KeyBundle> page = keys.versions(vault, name, Paging.after(skipToken), max);
            return ok(out.list(page, page.items().stream().map(k -> out.item(k, true)).toList(),
                    "/keys/" + name + "/versions", max));
        });
    }

    /** {@code DELETE /keys/{name}}: soft delete of every version. */
    @DELETE
    @Path("/{name}{slash:/?}")
    public Response delete(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_DELETE, apiVersion, (vault, out) ->
                ok(out.deleted(keys.delete(vault, name))));
    }

    @POST
    @Path("/{name}/backup")
    public Response backup(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_BACKUP, apiVersion, (vault, out) ->
                ok(KeyJson.backup(keys.backup(vault, name))));
    }

    @POST
    @Path("/restore")
    public Response restore(@QueryParam("api-version") String apiVersion, byte[] body,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_RESTORE, apiVersion, (vault, out) ->
                ok(out.bundle(keys.restore(vault, KeyJson.backupBlob(json, body)))));
    }

    /** {@code POST /keys/{name}/rotate}: a new version of the same type and size. */
    @POST
    @Path("/{name}/rotate")
    public Response rotate(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_ROTATE, apiVersion, (vault, out) ->
                ok(out.bundle(keys.rotate(vault, name))));
    }

    @GET
    @Path("/{name}/rotationpolicy")
    public Response rotationPolicy(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_ROTATION_POLICY_GET, apiVersion, (vault, out) ->
                ok(out.rotationPolicy(name, keys.rotationPolicy(vault, name))));
    }

    /** {@code PUT /keys/{name}/rotationpolicy}: replaces the policy; its Rotate action is carried out by Moat. */
    @PUT
    @Path("/{name}/rotationpolicy")
    public Response setRotationPolicy(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_ROTATION_POLICY_SET, apiVersion, (vault, out) -> {
            KeyJson.Rotation rotation = KeyJson.rotationPolicy(json, body);
            return ok(out.rotationPolicy(name, keys.setRotationPolicy(vault, name, rotation.expiryTime(),
                    rotation.actions())));
        });
    }

    /**
     * {@code POST /keys/{name}/{version}/{encrypt|decrypt|wrapkey|unwrapkey|sign|verify}}. (Plain templates: the
     * router would not order a regular-expression template against {@code GET /keys/{name}/{version}}.)
     */
    @POST
    @Path("/{name}/{version}/{operation}")
    public Response operate(@PathParam("name") String name, @PathParam("version") String version,
            @PathParam("operation") String operation, @QueryParam("api-version") String apiVersion, byte[] body,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return operate(http, headers, name, version, operation, apiVersion, body);
    }

    /** The same with the latest version: the SDK's {@code /keys/{name}//sign}, whose empty segment is folded away. */
    @POST
    @Path("/{name}/{operation}")
    public Response operateOnLatest(@PathParam("name") String name, @PathParam("operation") String operation,
            @QueryParam("api-version") String apiVersion, byte[] body, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return operate(http, headers, name, null, operation, apiVersion, body);
    }

    private Response operate(HttpServerRequest http, HttpHeaders headers, String name, String wanted,
            String operation, String apiVersion, byte[] body) {
        return switch (operation) {
            case "encrypt" -> cipher(http, headers, Operation.KEY_ENCRYPT, KeyOperation.ENCRYPT, name, wanted,
                    apiVersion, body);
            case "decrypt" -> cipher(http, headers, Operation.KEY_DECRYPT, KeyOperation.DECRYPT, name, wanted,
                    apiVersion, body);
            case "wrapkey" -> cipher(http, headers, Operation.KEY_WRAP, KeyOperation.WRAP_KEY, name, wanted,
                    apiVersion, body);
            case "unwrapkey" -> cipher(http, headers, Operation.KEY_UNWRAP, KeyOperation.UNWRAP_KEY, name, wanted,
                    apiVersion, body);
            case "sign" -> runAs(http, headers, Operation.KEY_SIGN, apiVersion, (vault, out, caller) -> {
                KeyJson.Operation request = KeyJson.operation(json, body);
                return ok(out.result(keys.sign(vault, name, wanted, request.alg(), request.value(),
                        caller.describe())));
            });
            case "verify" -> runAs(http, headers, Operation.KEY_VERIFY, apiVersion, (vault, out, caller) -> {
                KeyJson.Verification request = KeyJson.verification(json, body);
                return ok(Map.of("value", keys.verify(vault, name, wanted, request.alg(), request.digest(),
                        request.signature(), caller.describe())));
            });
            // like any path no operation serves: UnrecognisedRequests records it and answers Key Vault's 404
            default -> throw new NotFoundException();
        };
    }

    private Response cipher(HttpServerRequest http, HttpHeaders headers, Operation operation, KeyOperation keyOperation,
            String name, String version, String apiVersion, byte[] body) {
        return runAs(http, headers, operation, apiVersion, (vault, out, caller) -> {
            KeyJson.Operation request = KeyJson.operation(json, body);
            return ok(out.result(keys.cipher(vault, name, version, keyOperation, request.alg(), request.value(),
                    caller.describe())));
        });
    }

    private Response run(HttpServerRequest http, HttpHeaders headers, Operation operation, String apiVersion,
            BiFunction<Vault, KeyJson, Response> work) {
        return run(pipeline, requests, http, headers, operation, apiVersion, work);
    }

    private Response runAs(HttpServerRequest http, HttpHeaders headers, Operation operation, String apiVersion,
            Work work) {
        return run(pipeline, requests, http, headers, operation, apiVersion, work);
    }

    /** An operation that also needs the caller (the cryptography, whose {@code key_ops} refusal names it). */
    @FunctionalInterface
    interface Work {
        Response apply(Vault vault, KeyJson out, Identity caller);
    }

    static Response run(DataPlanePipeline pipeline, HttpRequests requests, HttpServerRequest http,
            HttpHeaders headers, Operation operation, String apiVersion, BiFunction<Vault, KeyJson, Response> work) {
        return run(pipeline, requests, http, headers, operation, apiVersion,
                (vault, out, caller) -> work.apply(vault, out));
    }

    /**
     * Runs a keys operation through the pipeline: inside it (after every check) the api-version is validated and
     * refusals by a rule become Key Vault's error JSON.
     */
    static Response run(DataPlanePipeline pipeline, HttpRequests requests, HttpServerRequest http,
            HttpHeaders headers, Operation operation, String apiVersion, Work work) {
        return pipeline.run(requests.of(http, headers), operation, (vault, caller) -> {
            try {
                KeyJson out = new KeyJson(http.scheme() + "://" + http.host(), ApiVersion.parse(apiVersion),
                        Recovery.of(vault.properties()));
                return work.apply(vault, out, caller);
            } catch (KeysException refused) {
                return KeyVaultErrors.of(refused);
            } catch (SecretsException refused) {
                // api-version and paging refusals, shared with secrets
                return KeyVaultErrors.of(refused);
            }
        });
    }

    static Response ok(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
