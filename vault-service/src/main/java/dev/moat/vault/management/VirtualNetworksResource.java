package dev.moat.vault.management;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
 * {@code Microsoft.Network/virtualNetworks} on the bare host: GET, PUT (create or replace, with subnets and their
 * service endpoints; enabling {@code Microsoft.KeyVault} on a subnet is step 2 of the source document) and DELETE,
 * and one subnet's GET and PUT (what the Azure CLI's {@code az network vnet subnet update} uses).
 */
@Path("/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/{name}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class VirtualNetworksResource {

    private final ManagementRequest requests;
    private final VirtualNetworkService networks;
    private final ResourceGroupService groups;

    public VirtualNetworksResource(ManagementRequest requests, VirtualNetworkService networks,
            ResourceGroupService groups) {
        this.requests = requests;
        this.networks = networks;
        this.groups = groups;
    }

    @GET
    public Response get(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        return Response.ok(networks.get(call.caller(), call.context(), id(subscription, group, name))).build();
    }

    @PUT
    public Response put(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @QueryParam("api-version") String apiVersion, String body,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        String id = id(subscription, group, name);
        var result = networks.put(call.caller(), call.context(), id,
                groups.withDefaultLocation(subscription, group, requests.body(body)));
        return Response.status(result.created() ? 201 : 200).entity(result.body()).build();
    }

    @DELETE
    public Response delete(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        return Response.status(networks.delete(call.caller(), call.context(), id(subscription, group, name)) ? 200 : 204)
                .build();
    }

    @GET
    @Path("/subnets/{subnet}")
    public Response getSubnet(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @PathParam("subnet") String subnet,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        return Response.ok(networks.getSubnet(call.caller(), call.context(), id(subscription, group, name), subnet))
                .build();
    }

    @PUT
    @Path("/subnets/{subnet}")
    public Response putSubnet(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @PathParam("name") String name, @PathParam("subnet") String subnet,
            @QueryParam("api-version") String apiVersion, String body, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        var result = networks.putSubnet(call.caller(), call.context(), id(subscription, group, name), subnet,
                requests.body(body));
        return Response.status(result.created() ? 201 : 200).entity(result.body()).build();
    }

    private static String id(String subscription, String group, String name) {
        ArmNames.subscription(subscription);
        ArmNames.resourceGroup(group);
        ArmNames.virtualNetwork(name);
        return VirtualNetworkService.id(subscription, group, name);
    }
}
