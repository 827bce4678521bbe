package dev.moat.vault.management;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.vault.config.VaultConfig;
import io.smallrye.common.annotation.Blocking;

/**
 * One subscription and what lives directly in it: {@code GET /subscriptions/{s}}, its resource groups
 * ({@code …/resourceGroups[/{group}]}: list, get, create or update with PUT, delete; {@code api.HostRouter} takes
 * ARM's other spellings of the segment to this one), and the lists of what it holds: ARM's lists of
 * {@code Microsoft.Network/virtualNetworks} per subscription and resource group ({@code az network vnet list}, the
 * console's network picker; readers and administrators only), and the managed HSM lists of {@code az keyvault list},
 * always empty since Moat has no managed HSMs. (Vault lists: {@link VaultsResource}; ARM's generic list:
 * {@link ResourcesResource}.)
 */
@Path("/subscriptions/{subscription}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class SubscriptionResource {

    private static final String GROUPS = "/resourceGroups";
    private static final String MANAGED_HSMS = "/providers/{hsms: (?i)Microsoft\\.KeyVault/managedHSMs}";

    @Inject
    ManagementRequest requests;
    @Inject
    ResourceGroupService groups;
    @Inject
    VirtualNetworkService networks;
    @Inject
    VaultConfig config;

    @GET
    public Response get(@BeanParam ArmRequest arm) {
        var call = requests.begin(arm);
        String name = call.subscription().equalsIgnoreCase(config.management().subscriptionId())
                ? config.management().subscriptionName() : call.subscription();
        return Response.ok(SubscriptionsResource.subscription(call.subscription(), name, call.caller().tenantId()))
                .build();
    }

    @GET
    @Path(GROUPS)
    public Response listGroups(@BeanParam ArmRequest arm) {
        return Response.ok(groups.list(requests.begin(arm).subscription())).build();
    }

    @GET
    @Path(GROUPS + "/{group}")
    public Response getGroup(@BeanParam ArmRequest arm) {
        var call = requests.begin(arm);
        return Response.ok(groups.get(call.subscription(), call.group())).build();
    }

    @PUT
    @Path(GROUPS + "/{group}")
    public Response putGroup(@BeanParam ArmRequest arm, String body) {
        var call = requests.begin(arm);
        var result = groups.put(call.caller(), call.subscription(), call.group(), requests.body(body));
        return Response.status(result.created() ? 201 : 200).entity(result.body()).build();
    }

    @DELETE
    @Path(GROUPS + "/{group}")
    public Response deleteGroup(@BeanParam ArmRequest arm) {
        var call = requests.begin(arm);
        return Response.status(groups.delete(call.caller(), call.subscription(), call.group()) ? 200 : 204).build();
    }

    @GET
    @Path(MANAGED_HSMS)
    public Response managedHsms(@BeanParam ArmRequest arm) {
        requests.begin(arm);
        return Response.ok(emptyList()).build();
    }

    @GET
    @Path(GROUPS + "/{group}" + MANAGED_HSMS)
    public Response managedHsmsOfGroup(@BeanParam ArmRequest arm) {
        requests.begin(arm);
        return Response.ok(emptyList()).build();
    }

    @GET
    @Path("/providers/Microsoft.Network/virtualNetworks")
    public Response virtualNetworks(@BeanParam ArmRequest arm) {
        return virtualNetworks(requests.begin(arm));
    }

    @GET
    @Path(GROUPS + "/{group}/providers/Microsoft.Network/virtualNetworks")
    public Response virtualNetworksOfGroup(@BeanParam ArmRequest arm) {
        return virtualNetworks(requests.begin(arm));
    }

    private Response virtualNetworks(ManagementRequest.Call call) {
        return Response.ok(networks.list(call.caller(), call.context(), call.subscription(), call.group())).build();
    }

    private static ObjectNode emptyList() {
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        page.putArray("value");
        return page;
    }
}
