package dev.moat.vault.api;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.keys.KeyBundle;
import dev.moat.vault.keys.KeyCryptography;
import dev.moat.vault.keys.KeyOperation;
import dev.moat.vault.keys.KeyRotator;
import dev.moat.vault.keys.KeyService;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.vaults.Vault;
import io.smallrye.common.annotation.Blocking;

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

    @Inject
    KeyService keys;
    @Inject
    KeyRotator rotator;
    @Inject
    KeyCryptography cryptography;

    @Override
    ObjectType<KeyJson, KeyBundle> describe() {
        return new ObjectType<>(keys, KeyJson::new, KeyJson::bundle, KeyJson::item,
                action -> Operation.valueOf("KEY_" + action));
    }

    /** {@code POST /keys/{name}/create}: a new key, or a new version of one. */
    @POST
    @Path("/{name}/create")
    public Response create(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.KEY_CREATE, (vault, out) ->
                ok(out.bundle(keys.create(vault, name, KeyJson.create(json, body)))));
    }

    /** {@code PUT /keys/{name}}: import a JWK with its private key. */
    @PUT
    @Path("/{name}{slash:/?}")
    public Response importKey(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.KEY_IMPORT, (vault, out) ->
                ok(out.bundle(keys.importKey(vault, name, KeyJson.importKey(json, body)))));
    }

    /** {@code POST /keys/{name}/rotate}: a new version of the same type and size. */
    @POST
    @Path("/{name}/rotate")
    public Response rotate(@PathParam("name") String name, @BeanParam DataPlaneCall call) {
        return run(call, Operation.KEY_ROTATE, (vault, out) ->
                ok(out.bundle(rotator.rotate(vault, name))));
    }

    @GET
    @Path("/{name}/rotationpolicy")
    public Response rotationPolicy(@PathParam("name") String name, @BeanParam DataPlaneCall call) {
        return run(call, Operation.KEY_ROTATION_POLICY_GET, (vault, out) ->
                ok(out.rotationPolicy(name, rotator.rotationPolicy(vault, name))));
    }

    /** {@code PUT /keys/{name}/rotationpolicy}: replaces the policy; its Rotate action is carried out by Moat. */
    @PUT
    @Path("/{name}/rotationpolicy")
    public Response setRotationPolicy(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.KEY_ROTATION_POLICY_SET, (vault, out) -> {
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
            @PathParam("operation") String operation, byte[] body, @BeanParam DataPlaneCall call) {
        return operate(call, name, version, operation, body);
    }

    /** The same with the latest version: the SDK's {@code /keys/{name}//sign}, whose empty segment is folded away. */
    @POST
    @Path("/{name}/{operation}")
    public Response operateOnLatest(@PathParam("name") String name, @PathParam("operation") String operation,
            byte[] body, @BeanParam DataPlaneCall call) {
        return operate(call, name, null, operation, body);
    }

    private Response operate(DataPlaneCall call, String name, String wanted,
            String operation, byte[] body) {
        return switch (operation) {
            case "encrypt" -> cipher(call, Operation.KEY_ENCRYPT, KeyOperation.ENCRYPT, name, wanted, body);
            case "decrypt" -> cipher(call, Operation.KEY_DECRYPT, KeyOperation.DECRYPT, name, wanted, body);
            case "wrapkey" -> cipher(call, Operation.KEY_WRAP, KeyOperation.WRAP_KEY, name, wanted, body);
            case "unwrapkey" -> cipher(call, Operation.KEY_UNWRAP, KeyOperation.UNWRAP_KEY, name, wanted, body);
            case "sign" -> runAs(call, Operation.KEY_SIGN, (vault, out, caller) -> {
                KeyJson.Operation request = KeyJson.operation(json, body);
                return ok(out.result(cryptography.sign(vault, name, wanted, request.alg(), request.value(),
                        caller.describe())));
            });
            case "verify" -> runAs(call, Operation.KEY_VERIFY, (vault, out, caller) -> {
                KeyJson.Verification request = KeyJson.verification(json, body);
                return ok(Map.of("value", cryptography.verify(vault, name, wanted, request.alg(), request.digest(),
                        request.signature(), caller.describe())));
            });
            // like any path no operation serves: UnrecognisedRequests records it and answers Key Vault's 404
            default -> throw new NotFoundException();
        };
    }

    private Response cipher(DataPlaneCall call, Operation operation, KeyOperation keyOperation,
            String name, String version, byte[] body) {
        return runAs(call, operation, (vault, out, caller) -> {
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
