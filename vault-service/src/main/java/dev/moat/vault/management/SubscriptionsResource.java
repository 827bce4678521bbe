package dev.moat.vault.management;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.vault.config.VaultConfig;
import io.smallrye.common.annotation.Blocking;

/**
 * {@code GET /subscriptions}: ARM's subscription list, the first call {@code az login} makes with its token. Moat has
 * no subscriptions of its own: it lists one, {@code moat.vault.management.subscription-id}, in the caller's tenant.
 */
@Path("/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SubscriptionsResource {

    @Inject
    ManagementRequest requests;
    @Inject
    VaultConfig config;

    @GET
    public Response list(@BeanParam ArmRequest arm) {
        var call = requests.begin(arm);
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        page.putArray("value").add(subscription(config.management().subscriptionId(),
                config.management().subscriptionName(), call.caller().tenantId()));
        page.putObject("count").put("type", "Total").put("value", 1);
        return Response.ok(page).build();
    }

    /** A subscription as ARM shows it (api-version 2016-06-01 and later). */
    static ObjectNode subscription(String id, String displayName, String tenantId) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", "/subscriptions/" + id);
        node.put("authorizationSource", "RoleBased");
        node.putArray("managedByTenants");
        node.put("subscriptionId", id);
        node.put("tenantId", tenantId);
        node.put("displayName", displayName);
        node.put("state", "Enabled");
        node.putObject("subscriptionPolicies").put("locationPlacementId", "Internal_2014-09-01")
                .put("quotaId", "Internal_2014-09-01").put("spendingLimit", "Off");
        return node;
    }
}
