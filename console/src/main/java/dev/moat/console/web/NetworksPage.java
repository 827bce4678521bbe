package dev.moat.console.web;

import java.util.ArrayList;
import java.util.List;

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

    private final MoatApi moat;
    private final Guard.Current current;
    private final Template networks;

    public NetworksPage(MoatApi moat, Guard.Current current,
            @Location("networks.html") Template networks) {
        this.moat = moat;
        this.current = current;
        this.networks = networks;
    }

    @GET
    public String list() {
        Session session = current.session();
        Reply reply = moat.armList(session, "Microsoft.Network/virtualNetworks");
        List<Views.Network> list = new ArrayList<>();
        if (reply.ok()) {
            reply.body().path("value").forEach(n -> list.add(Views.Network.of(n)));
        }
        return networks.data("session", session).data("networks", list)
                .data("error", reply.ok() ? null : reply.message()).render();
    }
}
