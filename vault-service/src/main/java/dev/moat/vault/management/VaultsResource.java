package dev.moat.vault.management;

import jakarta.ws.rs.Consumes;
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

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

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

    private final ManagementRequest requests;
    private final VaultService vaults;
    private final ResourceGroupService groups;

    public VaultsResource(ManagementRequest requests, VaultService vaults, ResourceGroupService groups) {
        this.requests = requests;
        this.vaults = vaults;
        this.groups = groups;
    }

    @GET
    @Path(VAULT)
    public Response get(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        names(subscription, group, name);
        return Response.ok(vaults.get(call.caller(), call.context(), call.endpoint(), subscription, group, name))
                .build();
    }

    @PUT
    @Path(VAULT)
    public Response put(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @QueryParam("api-version") String apiVersion, String body,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        names(subscription, group, name);
        var result = vaults.put(call.caller(), call.context(), call.endpoint(), subscription, group, name,
                groups.withDefaultLocation(subscription, group, requests.body(body)));
        return Response.status(result.created() ? 201 : 200).entity(result.body()).build();
    }

    @PATCH
    @Path(VAULT)
    public Response patch(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @QueryParam("api-version") String apiVersion, String body,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        names(subscription, group, name);
        return Response.ok(vaults.patch(call.caller(), call.context(), call.endpoint(), subscription, group, name,
                requests.body(body))).build();
    }

    @DELETE
    @Path(VAULT)
    public Response delete(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        names(subscription, group, name);
        return Response.status(vaults.delete(call.caller(), call.context(), call.endpoint(), subscription, group, name) ? 200 : 204)
                .build();
    }

    /** Moat's action: the staged (audit-only) network rules become the enforced ones. */
    @POST
    @Path(VAULT + "/promoteStagedNetworkAcls")
    public Response promoteStaged(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        names(subscription, group, name);
        return Response.ok(vaults.promoteStaged(call.caller(), call.context(), call.endpoint(), subscription, group,
                name)).build();
    }

    @GET
    @Path("/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults")
    public Response listByGroup(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        ArmNames.subscription(subscription);
        ArmNames.resourceGroup(group);
        return Response.ok(vaults.list(call.caller(), call.context(), call.endpoint(), subscription, group)).build();
    }

    @GET
    @Path("/providers/Microsoft.KeyVault/vaults")
    public Response listBySubscription(@PathParam("subscription") String subscription,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        ArmNames.subscription(subscription);
        return Response.ok(vaults.list(call.caller(), call.context(), call.endpoint(), subscription, null)).build();
    }

    private static void names(String subscription, String group, String name) {
        ArmNames.subscription(subscription);
        ArmNames.resourceGroup(group);
        ArmNames.vault(name);
    }
}
