package dev.moat.console.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.moat.console.moat.MoatApi;
import dev.moat.console.moat.Reply;
import dev.moat.console.session.Session;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;

/** Virtual networks: their address space, subnets and the subnets' service endpoints. */
@Path("/networks")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class NetworksPage {

    @Inject
    MoatApi moat;
    @Inject
    Guard.Current current;
    @Inject
    @Location("networks.html")
    Template networks;

    @GET
    public String list() {
        Session session = current.session();
        Reply reply = moat.armList(session, "Microsoft.Network/virtualNetworks");
        return networks.data("session", session).data("networks", reply.items(Views.Network::of))
                .data("error", reply.ok() ? null : reply.message()).render();
    }
}
