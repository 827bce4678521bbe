package dev.moat.console.web;

import java.net.URI;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.moat.console.session.Sessions;
import dev.moat.console.signin.SignInResource;

/** Sign-out: a change like any other (CSRF token), which ends the session here. */
@Path("/signout")
public class SignOut {

    private final Sessions sessions;
    private final Guard.Current current;

    public SignOut(Sessions sessions, Guard.Current current) {
        this.sessions = sessions;
        this.current = current;
    }

    @POST
    public Response signOut(@RestForm String csrf) {
        sessions.close(Guard.change(current, csrf).id());
        return Response.seeOther(URI.create("/signin/signed-out"))
                .header("Set-Cookie", SignInResource.cookie(SignInResource.SESSION_COOKIE, "", 0)).build();
    }
}
