package dev.moat.vault.management;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;

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

    @Inject
    ManagementRequest requests;
    @Inject
    VirtualNetworkService networks;
    @Inject
    ResourceGroupService groups;

    @GET
    public Response get(@BeanParam ArmRequest arm, @PathParam("name") String name) {
        var call = requests.begin(arm);
        return Response.ok(networks.get(call.caller(), call.context(), id(call, name))).build();
    }

    @PUT
    public Response put(@BeanParam ArmRequest arm, @PathParam("name") String name, String body) {
        var call = requests.begin(arm);
        String id = id(call, name);
        var result = networks.put(call.caller(), call.context(), id,
                groups.withDefaultLocation(call.subscription(), call.group(), requests.body(body)));
        return Response.status(result.created() ? 201 : 200).entity(result.body()).build();
    }

    @DELETE
    public Response delete(@BeanParam ArmRequest arm, @PathParam("name") String name) {
        var call = requests.begin(arm);
        return Response.status(networks.delete(call.caller(), call.context(), id(call, name)) ? 200 : 204).build();
    }

    @GET
    @Path("/subnets/{subnet}")
    public Response getSubnet(@BeanParam ArmRequest arm, @PathParam("name") String name,
            @PathParam("subnet") String subnet) {
        var call = requests.begin(arm);
        return Response.ok(networks.getSubnet(call.caller(), call.context(), id(call, name), subnet)).build();
    }

    @PUT
    @Path("/subnets/{subnet}")
    public Response putSubnet(@BeanParam ArmRequest arm, @PathParam("name") String name,
            @PathParam("subnet") String subnet, String body) {
        var call = requests.begin(arm);
        var result = networks.putSubnet(call.caller(), call.context(), id(call, name), subnet, requests.body(body));
        return Response.status(result.created() ? 201 : 200).entity(result.body()).build();
    }

    /** The network's id; its name checked after the subscription and group that {@code begin} checked. */
    private static String id(ManagementRequest.Call call, String name) {
        ArmNames.virtualNetwork(name);
        return VirtualNetworkService.id(call.subscription(), call.group(), name);
    }
}
