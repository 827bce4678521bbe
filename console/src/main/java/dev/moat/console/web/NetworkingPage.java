package dev.moat.console.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.console.moat.MoatApi;
import dev.moat.console.moat.Reply;
import dev.moat.console.session.Session;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * "Firewalls and virtual networks", laid out as the Azure portal does. The form carries the whole rule set being
 * edited: adding or removing a row, "add my client address" and adding a subnet re-render it unsaved; only Save
 * sends it, in one PATCH of the vault, which vault-service applies all or nothing after policy-service validated it.
 * policy-service's messages come back beside the fields they name. A subnet without the {@code Microsoft.KeyVault}
 * endpoint is said to lack it, with a button that enables it (a PUT of the subnet, as
 * {@code az network vnet subnet update --service-endpoints} does).
 */
@Path("/vaults/{group}/{name}/networking")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class NetworkingPage {

    /** The rule set being edited. */
    record Form(String access, boolean bypass, List<String> ipRules, List<String> subnets) {
    }

    @Inject
    MoatApi moat;
    @Inject
    Guard.Current current;
    @Inject
    ClientAddress clients;
    @Inject
    @Location("networking.html")
    Template networking;

    @GET
    public Response show(@PathParam("group") String group, @PathParam("name") String name,
            @QueryParam("saved") String saved, @Context HttpServerRequest request) {
        Session session = current.session();
        Reply vault = moat.arm(session, "GET", moat.vaultPath(group, name), null);
        if (!vault.ok()) {
            return Response.status(vault.status()).type(MediaType.TEXT_PLAIN).entity(vault.message()).build();
        }
        JsonNode p = vault.body().path("properties");
        JsonNode acls = p.path("networkAcls");
        String access = p.path("publicNetworkAccess").asText("Enabled").equalsIgnoreCase("Disabled") ? "disabled"
                : acls.path("defaultAction").asText("Allow").equalsIgnoreCase("Deny") ? "selected" : "all";
        List<String> ips = new ArrayList<>();
        acls.path("ipRules").forEach(r -> ips.add(r.path("value").asText()));
        List<String> subnets = new ArrayList<>();
        acls.path("virtualNetworkRules").forEach(r -> subnets.add(r.path("id").asText()));
        Form form = new Form(access, !acls.path("bypass").asText("AzureServices").equalsIgnoreCase("None"), ips,
                subnets);
        return render(200, session, vault.body(), form, NetworkRuleErrors.none(),
                saved != null ? "Saved. The firewall applies the new rules at once." : null, request);
    }

    @POST
    public Response change(@PathParam("group") String group, @PathParam("name") String name, @RestForm String csrf,
            @RestForm String op, @RestForm String access, @RestForm String bypass, @RestForm List<String> ip,
            @RestForm String newIp, @RestForm List<String> subnet, @RestForm String newSubnet,
            @Context HttpServerRequest request) {
        Session session = Guard.change(current, csrf);
        String path = moat.vaultPath(group, name);
        Reply vault = moat.arm(session, "GET", path, null);
        if (!vault.ok()) {
            return Response.status(vault.status()).type(MediaType.TEXT_PLAIN).entity(vault.message()).build();
        }
        List<String> ips = new ArrayList<>(nonBlank(ip));
        List<String> subnets = new ArrayList<>(nonBlank(subnet));
        String chosen = access == null ? "all" : access;
        String action = op == null ? "save" : op;
        String notice = null;
        if (action.equals("add-ip") && newIp != null && !newIp.isBlank()) {
            ips.add(newIp.trim());
        } else if (action.equals("add-my-address")) {
            ips.add(clients.of(request));
        } else if (action.startsWith("remove-ip-")) {
            remove(ips, action.substring("remove-ip-".length()));
        } else if (action.startsWith("remove-subnet-")) {
            remove(subnets, action.substring("remove-subnet-".length()));
        } else if (action.equals("add-subnet") && newSubnet != null && !newSubnet.isBlank()) {
            subnets.add(newSubnet);
        } else if (action.startsWith("enable-endpoint:")) {
            String subnetId = action.substring("enable-endpoint:".length());
            Reply enabled = enableEndpoint(session, subnetId);
            notice = enabled.ok() ? "The Microsoft.KeyVault service endpoint is enabled on subnet " + subnetId + "."
                    : "Could not enable the endpoint: " + enabled.message();
        } else if (action.equals("save")) {
            ObjectNode patch = JsonNodeFactory.instance.objectNode();
            ObjectNode properties = patch.putObject("properties");
            properties.put("publicNetworkAccess", chosen.equals("disabled") ? "Disabled" : "Enabled");
            ObjectNode acls = properties.putObject("networkAcls");
            acls.put("defaultAction", chosen.equals("all") ? "Allow" : "Deny");
            acls.put("bypass", "on".equals(bypass) ? "AzureServices" : "None");
            ArrayNode ipRules = acls.putArray("ipRules");
            ips.forEach(v -> ipRules.addObject().put("value", v));
            ArrayNode vnetRules = acls.putArray("virtualNetworkRules");
            subnets.forEach(id -> vnetRules.addObject().put("id", id));
            Reply saved = moat.arm(session, "PATCH", path, patch);
            if (saved.ok()) {
                return Response.seeOther(URI.create("/vaults/" + group + "/" + name + "/networking?saved=1")).build();
            }
            Form form = new Form(chosen, "on".equals(bypass), ips, subnets);
            return render(saved.status(), session, vault.body(), form, NetworkRuleErrors.parse(saved.message()),
                    null, request);
        }
        Form form = new Form(chosen, "on".equals(bypass), ips, subnets);
        return render(200, session, vault.body(), form, NetworkRuleErrors.none(),
                notice == null ? "Unsaved changes: Save applies them." : notice, request);
    }

    private Response render(int status, Session session, JsonNode vault, Form form, NetworkRuleErrors errors,
            String notice, HttpServerRequest request) {
        List<Views.Network> networks = moat.armList(session, "Microsoft.Network/virtualNetworks")
                .items(Views.Network::of);
        List<Views.Subnet> allSubnets = networks.stream().flatMap(n -> n.subnets().stream()).toList();
        List<Views.Row> ipRows = new ArrayList<>();
        for (int i = 0; i < form.ipRules().size(); i++) {
            ipRows.add(new Views.Row(i, form.ipRules().get(i), errors.of("ipRules[" + i + "]"), false));
        }
        List<Views.Row> subnetRows = new ArrayList<>();
        for (int i = 0; i < form.subnets().size(); i++) {
            String id = form.subnets().get(i);
            String error = errors.of("virtualNetworkRules[" + i + "]");
            Optional<Views.Subnet> known = allSubnets.stream().filter(s -> s.id().equalsIgnoreCase(id)).findFirst();
            boolean lacking = known.isPresent() && !known.get().keyVaultEndpoint();
            if (error == null && lacking) {
                error = "This subnet does not have the Microsoft.KeyVault service endpoint enabled, so the rule would "
                        + "admit nobody.";
            }
            subnetRows.add(new Views.Row(i, id, error, lacking));
        }
        String html = networking.data("session", session).data("vault", Views.Vault.of(vault))
                .data("form", form).data("ipRows", ipRows).data("subnetRows", subnetRows)
                .data("subnets", allSubnets).data("errors", errors).data("ipRulesError", errors.of("ipRules"))
                .data("subnetsError", errors.of("virtualNetworkRules"))
                .data("accessError", join(errors.of("defaultAction"), errors.of("bypass")))
                .data("general", errors.general()).data("notice", notice).data("clientAddress", clients.of(request))
                .render();
        return Response.status(status).type(MediaType.TEXT_HTML).entity(html).build();
    }

    /** Adds {@code Microsoft.KeyVault} to the subnet's service endpoints, keeping its prefix and other endpoints. */
    private Reply enableEndpoint(Session session, String subnetId) {
        Reply subnet = moat.arm(session, "GET", subnetId, null);
        if (!subnet.ok()) {
            return subnet;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode properties = body.putObject("properties");
        properties.put("addressPrefix", subnet.body().path("properties").path("addressPrefix").asText());
        ArrayNode endpoints = properties.putArray("serviceEndpoints");
        subnet.body().path("properties").path("serviceEndpoints").forEach(e -> endpoints.addObject()
                .put("service", e.path("service").asText()));
        endpoints.addObject().put("service", "Microsoft.KeyVault");
        return moat.arm(session, "PUT", subnetId, body);
    }

    private static void remove(List<String> list, String index) {
        try {
            int i = Integer.parseInt(index);
            if (i >= 0 && i < list.size()) {
                list.remove(i);
            }
        } catch (NumberFormatException e) {
            // not a row of this form: nothing to remove
        }
    }

    private static List<String> nonBlank(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim)
                .toList();
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + " " + b;
    }
}
