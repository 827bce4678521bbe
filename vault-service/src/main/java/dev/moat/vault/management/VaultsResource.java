package dev.moat.vault.management;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;

/**
 * {@code Microsoft.KeyVault/vaults} on the bare host: GET, PUT (create or replace, idempotent, accepts GET's output),
 * PATCH, DELETE, and the lists per resource group and subscription. Never firewalled.
 */
@Path("/subscriptions/{subscription}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class VaultsResource {

    private static final String VAULT = "/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{name}";

    @Inject
    ManagementRequest requests;
    @Inject
    VaultService vaults;

    @GET
    @Path(VAULT)
    public Response get(@BeanParam ArmRequest arm, @PathParam("name") String name) {
        var call = begin(arm, name);
        return Response.ok(vaults.get(call.caller(), call.context(), call.endpoint(), call.subscription(), call.group(),
                name)).build();
    }

    @PUT
    @Path(VAULT)
    public Response put(@BeanParam ArmRequest arm, @PathParam("name") String name, String body) {
        var call = begin(arm, name);
        var result = vaults.put(call.caller(), call.context(), call.endpoint(), call.subscription(), call.group(), name,
                requests.body(body));
        return Response.status(result.created() ? 201 : 200).entity(result.body()).build();
    }

    @PATCH
    @Path(VAULT)
    public Response patch(@BeanParam ArmRequest arm, @PathParam("name") String name, String body) {
        var call = begin(arm, name);
        return Response.ok(vaults.patch(call.caller(), call.context(), call.endpoint(), call.subscription(),
                call.group(), name, requests.body(body))).build();
    }

    @DELETE
    @Path(VAULT)
    public Response delete(@BeanParam ArmRequest arm, @PathParam("name") String name) {
        var call = begin(arm, name);
        boolean deleted = vaults.delete(call.caller(), call.context(), call.endpoint(), call.subscription(),
                call.group(), name);
        return Response.status(deleted ? 200 : 204).build();
    }

    /** Moat's action: the staged (audit-only) network rules become the enforced ones. */
    @POST
    @Path(VAULT + "/promoteStagedNetworkAcls")
    public Response promoteStaged(@BeanParam ArmRequest arm, @PathParam("name") String name) {
        var call = begin(arm, name);
        return Response.ok(vaults.promoteStaged(call.caller(), call.context(), call.endpoint(), call.subscription(),
                call.group(), name)).build();
    }

    @GET
    @Path("/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults")
    public Response listByGroup(@BeanParam ArmRequest arm) {
        return list(requests.begin(arm));
    }

    @GET
    @Path("/providers/Microsoft.KeyVault/vaults")
    public Response listBySubscription(@BeanParam ArmRequest arm) {
        return list(requests.begin(arm));
    }

    private Response list(ManagementRequest.Call call) {
        return Response.ok(vaults.list(call.caller(), call.context(), call.endpoint(), call.subscription(),
                call.group())).build();
    }

    private ManagementRequest.Call begin(ArmRequest arm, String name) {
        var call = requests.begin(arm);
        ArmNames.vault(name);
        return call;
    }
}
