package dev.moat.vault.api;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
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

import dev.moat.vault.keys.KeyBundle;
import dev.moat.vault.keys.KeyCryptography;
import dev.moat.vault.keys.KeyOperation;
import dev.moat.vault.keys.KeyRotator;
import dev.moat.vault.keys.KeyService;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
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
public class KeysResource extends VaultObjectResource<KeyJson, KeyBundle> {

    private final KeyService keys;
    private final KeyRotator rotator;
    private final KeyCryptography cryptography;

    public KeysResource(DataPlanePipeline pipeline, HttpRequests requests, KeyService keys, KeyRotator rotator,
            KeyCryptography cryptography, ObjectMapper json) {
        super(pipeline, requests, json, new ObjectType<>(keys, KeyJson::new, KeyJson::bundle, KeyJson::item,
                action -> Operation.valueOf("KEY_" + action)));
        this.keys = keys;
        this.rotator = rotator;
        this.cryptography = cryptography;
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

    /** {@code POST /keys/{name}/rotate}: a new version of the same type and size. */
    @POST
    @Path("/{name}/rotate")
    public Response rotate(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_ROTATE, apiVersion, (vault, out) ->
                ok(out.bundle(rotator.rotate(vault, name))));
    }

    @GET
    @Path("/{name}/rotationpolicy")
    public Response rotationPolicy(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_ROTATION_POLICY_GET, apiVersion, (vault, out) ->
                ok(out.rotationPolicy(name, rotator.rotationPolicy(vault, name))));
    }

    /** {@code PUT /keys/{name}/rotationpolicy}: replaces the policy; its Rotate action is carried out by Moat. */
    @PUT
    @Path("/{name}/rotationpolicy")
    public Response setRotationPolicy(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.KEY_ROTATION_POLICY_SET, apiVersion, (vault, out) -> {
            KeyJson.Rotation rotation = KeyJson.rotationPolicy(json, body);
            return ok(out.rotationPolicy(name, rotator.setRotationPolicy(vault, name, rotation.expiryTime(),
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
                return ok(out.result(cryptography.sign(vault, name, wanted, request.alg(), request.value(),
                        caller.describe())));
            });
            case "verify" -> runAs(http, headers, Operation.KEY_VERIFY, apiVersion, (vault, out, caller) -> {
                KeyJson.Verification request = KeyJson.verification(json, body);
                return ok(Map.of("value", cryptography.verify(vault, name, wanted, request.alg(), request.digest(),
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
            return ok(out.result(cryptography.cipher(vault, name, version, keyOperation, request.alg(), request.value(),
                    caller.describe())));
        });
    }

    @Override
    Object get(Vault vault, KeyJson out, String name, String version) {
        return out.bundle(keys.get(vault, name, version));
    }

    @Override
    Object update(Vault vault, KeyJson out, String name, String version, byte[] body) {
        return out.bundle(keys.update(vault, name, version, KeyJson.patch(json, body)));
    }
}
