package dev.moat.vault.management;

import jakarta.ws.rs.GET;
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
 * ARM's lists of {@code Microsoft.Network/virtualNetworks}, per subscription and per resource group
 * ({@code az network vnet list}; the console's network picker). Readers and administrators only.
 */
@Path("/subscriptions/{subscription}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class VirtualNetworkListsResource {

    private final ManagementRequest requests;
    private final VirtualNetworkService networks;

    public VirtualNetworkListsResource(ManagementRequest requests, VirtualNetworkService networks) {
        this.requests = requests;
        this.networks = networks;
    }

    @GET
    @Path("/providers/Microsoft.Network/virtualNetworks")
    public Response listBySubscription(@PathParam("subscription") String subscription,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        ArmNames.subscription(subscription);
        return Response.ok(networks.list(call.caller(), call.context(), subscription, null)).build();
    }

    @GET
    @Path("/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks")
    public Response listByGroup(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        ArmNames.subscription(subscription);
        ArmNames.resourceGroup(group);
        return Response.ok(networks.list(call.caller(), call.context(), subscription, group)).build();
    }
}
