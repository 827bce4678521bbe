package dev.moat.console.web;

import java.net.URI;
import java.util.List;

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

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.console.config.ConsoleConfig;
import dev.moat.console.moat.MoatApi;
import dev.moat.console.moat.Reply;
import dev.moat.console.session.Session;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/** Vaults: the list, create, delete, each vault's overview, and its secrets, keys and certificates as the user sees them. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class VaultsPage {

    @Inject
    MoatApi moat;
    @Inject
    Guard.Current current;
    @Inject
    ConsoleConfig config;
    @Inject
    ClientAddress clients;
    @Inject
    @Location("vaults.html")
    Template vaults;
    @Inject
    @Location("vault.html")
    Template vault;
    @Inject
    @Location("objects.html")
    Template objects;

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/vaults")).build();
    }

    @GET
    @Path("vaults")
    public String list(@QueryParam("error") String error) {
        Session session = current.session();
        Reply reply = moat.armList(session, "Microsoft.KeyVault/vaults");
        return vaults.data("session", session).data("vaults", reply.items(Views.Vault::of))
                .data("error", reply.ok() ? error : reply.message()).data("subscription", config.subscription())
                .render();
    }

    @POST
    @Path("vaults")
    public Response create(@RestForm String csrf, @RestForm String name, @RestForm String group,
            @RestForm String location) {
        Session session = Guard.change(current, csrf);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("location", location == null || location.isBlank() ? "local" : location.trim());
        ObjectNode properties = body.putObject("properties");
        properties.put("tenantId", session.tenantId());
        properties.putObject("sku").put("family", "A").put("name", "standard");
        // as the portal does, the creator may use the vault's secrets, keys and certificates
        ObjectNode policy = properties.putArray("accessPolicies").addObject();
        policy.put("tenantId", session.tenantId()).put("objectId", session.objectId());
        ObjectNode permissions = policy.putObject("permissions");
        permissions.putArray("secrets").add("get").add("list").add("set").add("delete");
        permissions.putArray("keys").add("get").add("list").add("create").add("delete");
        permissions.putArray("certificates").add("get").add("list").add("create").add("delete");
        Reply reply = moat.arm(session, "PUT", moat.vaultPath(blank(group, "rg"), blank(name, "")), body);
        if (!reply.ok()) {
            return Response.status(reply.status()).type(MediaType.TEXT_HTML)
                    .entity(list(reply.message())).build();
        }
        return Response.seeOther(URI.create("/vaults/" + blank(group, "rg") + "/" + name.trim())).build();
    }

    @GET
    @Path("vaults/{group}/{name}")
    public Response overview(@PathParam("group") String group, @PathParam("name") String name) {
        Session session = current.session();
        Reply reply = moat.arm(session, "GET", moat.vaultPath(group, name), null);
        if (!reply.ok()) {
            return Response.status(reply.status()).entity(list(reply.message())).build();
        }
        return Response.ok(vault.data("session", session).data("vault", Views.Vault.of(reply.body()))
                .data("error", null).render()).build();
    }

    @POST
    @Path("vaults/{group}/{name}/delete")
    public Response delete(@PathParam("group") String group, @PathParam("name") String name, @RestForm String csrf) {
        Session session = Guard.change(current, csrf);
        Reply reply = moat.arm(session, "DELETE", moat.vaultPath(group, name), null);
        if (!reply.ok()) {
            return Response.status(reply.status()).entity(list(reply.message())).build();
        }
        return Response.seeOther(URI.create("/vaults")).build();
    }

    /** Secrets, keys or certificates, listed from the data plane with the user's token, for the browser's address. */
    @GET
    @Path("vaults/{group}/{name}/{kind:secrets|keys|certificates}")
    public Response contents(@PathParam("group") String group, @PathParam("name") String name,
            @PathParam("kind") String kind, @Context HttpServerRequest request) {
        Session session = current.session();
        Reply arm = moat.arm(session, "GET", moat.vaultPath(group, name), null);
        if (!arm.ok()) {
            return Response.status(arm.status()).entity(list(arm.message())).build();
        }
        Views.Vault v = Views.Vault.of(arm.body());
        String address = clients.of(request);
        Reply reply = moat.dataPlane(session, v.uri(), kind, address);
        List<String[]> items = reply.items(item -> {
            String id = item.path(kind.equals("keys") ? "kid" : "id").asText();
            return new String[] {id.substring(id.lastIndexOf('/') + 1), id,
                    item.path("attributes").path("enabled").asText("true"), item.path("contentType").asText("")};
        });
        boolean firewall = "ForbiddenByFirewall".equals(reply.code());
        return Response.ok(objects.data("session", session).data("vault", v).data("kind", kind)
                .data("items", items.stream().map(i -> new Item(i[0], i[1], i[2], i[3])).toList())
                .data("ok", reply.ok()).data("firewall", firewall).data("message", reply.ok() ? null : reply.message())
                .data("decisionId", reply.decisionId()).data("clientAddress", address).render()).build();
    }

    @io.quarkus.qute.TemplateData
    record Item(String name, String id, String enabled, String contentType) {
    }

    private static String blank(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.trim();
    }
}
