package dev.moat.console.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.moat.console.session.Session;
import dev.moat.console.session.Sessions;
import dev.moat.console.signin.SignInResource;

/**
 * The console's gate, in one place: without a session every page and action is sent to sign-in (303, so that a
 * refused POST is not repeated); every change must carry the session's CSRF token ({@link #change}); every answer
 * carries a restrictive Content-Security-Policy (scripts and styles from the console only, no inline script, no
 * framing) and is never cached.
 */
public class Guard {

    /** Content-Security-Policy of every page: nothing inline, nothing from elsewhere. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** The signed-in session of this request, set by the filter. */
    @RequestScoped
    public static class Current {
        private Session session;

        public Session session() {
            return session;
        }

        public void set(Session value) {
            this.session = value;
        }
    }

    @Inject
    Sessions sessions;
    @Inject
    Current current;

    @ServerRequestFilter
    public Optional<Response> requireSession(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.equals("/signin") || path.startsWith("/signin/") || path.startsWith("/static/")
                || path.startsWith("/q/")) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookies().get(SignInResource.SESSION_COOKIE);
        Optional<Session> session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isEmpty()) {
            String back = request.getMethod().equals("GET") ? request.getUriInfo().getRequestUri().getRawPath()
                    + (request.getUriInfo().getRequestUri().getRawQuery() == null ? ""
                            : "?" + request.getUriInfo().getRequestUri().getRawQuery())
                    : "/";
            return Optional.of(Response.seeOther(URI.create("/signin?return="
                    + java.net.URLEncoder.encode(back, StandardCharsets.UTF_8))).build());
        }
        current.set(session.get());
        return Optional.empty();
    }

    @ServerResponseFilter
    public void headers(ContainerResponseContext response) {
        var headers = response.getHeaders();
        headers.putSingle("Content-Security-Policy", CSP);
        headers.putSingle("X-Frame-Options", "DENY");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Referrer-Policy", "same-origin");
        headers.putSingle("Strict-Transport-Security", "max-age=31536000");
        if (!headers.containsKey("Cache-Control")) {
            headers.putSingle("Cache-Control", "no-store");
        }
    }

    /** The session of a change, after its CSRF token was checked: a change without the token is refused (403). */
    public static Session change(Current current, String csrf) {
        Session session = current.session();
        if (csrf == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw new WebApplicationException(Response.status(403).type("text/plain")
                    .entity("Refused: this change does not carry the session's CSRF token. Reload the page and retry.")
                    .build());
        }
        return session;
    }
}
