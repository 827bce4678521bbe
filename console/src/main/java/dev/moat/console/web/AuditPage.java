package dev.moat.console.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

/**
 * The audit trail: decisions with the audit API's filters, one decision by id with its vault's diagnosis (who is
 * denied, from where, which rule would admit them) and "add this rule", and the change history.
 */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class AuditPage {

    static final List<String> FILTERS = List.of("vault", "from", "to", "outcome", "layer", "authorizationType",
            "clientAddress", "subnetId", "objectId", "applicationId", "operation");

    @Inject
    MoatApi moat;
    @Inject
    Guard.Current current;
    @Inject
    @Location("audit.html")
    Template audit;
    @Inject
    @Location("decision.html")
    Template decision;
    @Inject
    @Location("changes.html")
    Template changes;

    @GET
    public String decisions(@QueryParam("vault") String vault, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("outcome") String outcome, @QueryParam("layer") String layer,
            @QueryParam("authorizationType") String authorizationType, @QueryParam("clientAddress") String clientAddress,
            @QueryParam("subnetId") String subnetId, @QueryParam("objectId") String objectId,
            @QueryParam("applicationId") String applicationId, @QueryParam("operation") String operation,
            @QueryParam("cursor") String cursor, @QueryParam("id") String id) {
        if (id != null && !id.isBlank()) {
            throw new jakarta.ws.rs.RedirectionException(303, URI.create("/audit/decisions/"
                    + URLEncoder.encode(id.trim(), StandardCharsets.UTF_8)));
        }
        Map<String, String> query = new LinkedHashMap<>();
        String[] values = {vault, from, to, outcome, layer, authorizationType, clientAddress, subnetId, objectId,
                applicationId, operation};
        for (int i = 0; i < FILTERS.size(); i++) {
            query.put(FILTERS.get(i), values[i]);
        }
        Map<String, String> filters = new LinkedHashMap<>(query);
        query.put("cursor", cursor);
        query.put("limit", "50");
        Session session = current.session();
        Reply reply = moat.audit(session, "/decisions", query);
        List<Map<String, Object>> items = reply.items(Views::map);
        String next = reply.ok() ? cursorOf(reply.body()) : null;
        return audit.data("session", session).data("filters", filters).data("items", items)
                .data("error", reply.ok() ? null : reply.message()).data("next", next).render();
    }

    @GET
    @Path("/decisions/{id}")
    public Response decision(@PathParam("id") String id, @QueryParam("notice") String notice) {
        Session session = current.session();
        Reply reply = moat.audit(session, "/decisions/" + URLEncoder.encode(id, StandardCharsets.UTF_8), Map.of());
        Map<String, Object> diagnosis = null;
        String diagnosisError = null;
        if (reply.ok()) {
            Reply d = moat.audit(session, "/vaults/" + URLEncoder.encode(reply.body().path("vault").asText(),
                    StandardCharsets.UTF_8) + "/diagnosis", Map.of());
            if (d.ok()) {
                diagnosis = Views.map(d.body());
            } else {
                diagnosisError = d.message();
            }
        }
        return Response.status(reply.ok() ? 200 : reply.status()).entity(decision.data("session", session)
                .data("id", id).data("decision", reply.ok() ? Views.map(reply.body()) : null)
                .data("error", reply.ok() ? null : reply.message()).data("diagnosis", diagnosis)
                .data("diagnosisError", diagnosisError).data("notice", notice).render()).build();
    }

    /**
     * "Add this rule": the diagnosis's remedy, an IP rule or a virtual network rule, added to the vault's rules
     * through the management plane (a PATCH: policy-service validates it, all or nothing).
     */
    @POST
    @Path("/add-rule")
    public Response addRule(@RestForm String csrf, @RestForm String vault, @RestForm String kind,
            @RestForm String rule, @RestForm String decision) {
        Session session = Guard.change(current, csrf);
        Reply list = moat.armList(session, "Microsoft.KeyVault/vaults");
        JsonNode found = null;
        if (list.ok()) {
            for (JsonNode v : list.body().path("value")) {
                if (v.path("name").asText().equalsIgnoreCase(vault)) {
                    found = v;
                }
            }
        }
        String back = "/audit/decisions/" + URLEncoder.encode(decision == null ? "" : decision, StandardCharsets.UTF_8)
                + "?notice=";
        if (found == null) {
            return Response.seeOther(URI.create(back + enc("Vault " + vault + " is not one you may manage."))).build();
        }
        ObjectNode acls = ((ObjectNode) found.path("properties").path("networkAcls")).deepCopy();
        if ("AddIpRule".equals(kind)) {
            ArrayNode ips = acls.has("ipRules") ? (ArrayNode) acls.get("ipRules") : acls.putArray("ipRules");
            ips.addObject().put("value", rule);
        } else if ("AddVirtualNetworkRule".equals(kind)) {
            ArrayNode rules = acls.has("virtualNetworkRules") ? (ArrayNode) acls.get("virtualNetworkRules")
                    : acls.putArray("virtualNetworkRules");
            rules.addObject().put("id", rule);
        } else {
            return Response.seeOther(URI.create(back + enc("No single rule can be added for this denial."))).build();
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.putObject("properties").set("networkAcls", acls);
        String path = found.path("id").asText();
        Reply saved = moat.arm(session, "PATCH", path, patch);
        return Response.seeOther(URI.create(back + enc(saved.ok() ? "Added " + rule + " to the rules of vault " + vault
                + "." : "Not added: " + saved.message()))).build();
    }

    @GET
    @Path("/changes")
    public String changes(@QueryParam("vault") String vault, @QueryParam("cursor") String cursor) {
        Session session = current.session();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("vault", vault);
        query.put("cursor", cursor);
        query.put("limit", "50");
        Reply reply = moat.audit(session, "/changes", query);
        List<Map<String, Object>> items = reply.items(c -> {
            Map<String, Object> item = Views.map(c);
            item.put("before", c.path("before").isMissingNode() || c.path("before").isNull() ? ""
                    : c.path("before").toPrettyString());
            item.put("after", c.path("after").isMissingNode() || c.path("after").isNull() ? ""
                    : c.path("after").toPrettyString());
            return item;
        });
        return changes.data("session", session).data("vault", vault).data("items", items)
                .data("error", reply.ok() ? null : reply.message())
                .data("next", reply.ok() ? cursorOf(reply.body()) : null).render();
    }

    /** The {@code cursor} of the list's {@code nextLink}, for the "older" link; null on the last page. */
    static String cursorOf(JsonNode list) {
        String next = list.path("nextLink").asText(null);
        if (next == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]cursor=([^&]+)").matcher(next);
        return m.find() ? m.group(1) : null;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
