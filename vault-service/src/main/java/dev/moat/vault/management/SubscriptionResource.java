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

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.vault.config.VaultConfig;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * One subscription and what lives directly in it: {@code GET /subscriptions/{s}}, its resource groups
 * ({@code …/resourceGroups[/{group}]}: list, get, create or update with PUT, delete; {@code api.HostRouter} takes
 * ARM's other spellings of the segment to this one) and the managed HSM lists of {@code az keyvault list}, always empty since Moat has no managed HSMs.
 */
@Path("/subscriptions/{subscription}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class SubscriptionResource {

    private static final String GROUPS = "/resourceGroups";
    private static final String MANAGED_HSMS = "/providers/{hsms: (?i)Microsoft\\.KeyVault/managedHSMs}";

    private final ManagementRequest requests;
    private final ResourceGroupService groups;
    private final VaultConfig config;

    public SubscriptionResource(ManagementRequest requests, ResourceGroupService groups, VaultConfig config) {
        this.requests = requests;
        this.groups = groups;
        this.config = config;
    }

    @GET
    public Response get(@PathParam("subscription") String subscription, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        ArmNames.subscription(subscription);
        String name = subscription.equalsIgnoreCase(config.management().subscriptionId())
                ? config.management().subscriptionName() : subscription;
        return Response.ok(SubscriptionsResource.subscription(subscription, name, call.caller().tenantId())).build();
    }

    @GET
    @Path(GROUPS)
    public Response listGroups(@PathParam("subscription") String subscription,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        requests.begin(request, headers, apiVersion);
        ArmNames.subscription(subscription);
        return Response.ok(groups.list(subscription)).build();
    }

    @GET
    @Path(GROUPS + "/{group}")
    public Response getGroup(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        requests.begin(request, headers, apiVersion);
        names(subscription, group);
        return Response.ok(groups.get(subscription, group)).build();
    }

    @PUT
    @Path(GROUPS + "/{group}")
    public Response putGroup(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @QueryParam("api-version") String apiVersion, String body, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        names(subscription, group);
        var result = groups.put(call.caller(), subscription, group, requests.body(body));
        return Response.status(result.created() ? 201 : 200).entity(result.body()).build();
    }

    @DELETE
    @Path(GROUPS + "/{group}")
    public Response deleteGroup(@PathParam("subscription") String subscription, @PathParam("group") String group,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        var call = requests.begin(request, headers, apiVersion);
        names(subscription, group);
        return Response.status(groups.delete(call.caller(), subscription, group) ? 200 : 204).build();
    }

    @GET
    @Path(MANAGED_HSMS)
    public Response managedHsms(@PathParam("subscription") String subscription,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        requests.begin(request, headers, apiVersion);
        ArmNames.subscription(subscription);
        return Response.ok(emptyList()).build();
    }

    @GET
    @Path(GROUPS + "/{group}" + MANAGED_HSMS)
    public Response managedHsmsOfGroup(@PathParam("subscription") String subscription,
            @PathParam("group") String group, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        requests.begin(request, headers, apiVersion);
        names(subscription, group);
        return Response.ok(emptyList()).build();
    }

    private static ObjectNode emptyList() {
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        page.putArray("value");
        return page;
    }

    private static void names(String subscription, String group) {
        ArmNames.subscription(subscription);
        ArmNames.resourceGroup(group);
    }
}
