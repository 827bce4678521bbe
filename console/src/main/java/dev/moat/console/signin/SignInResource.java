package dev.moat.console.signin;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.moat.console.config.ConsoleConfig;
import dev.moat.console.session.Session;
import dev.moat.console.session.Sessions;
import dev.moat.token.Claims;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;

/**
 * Sign-in with OpenID Connect's authorization code flow and PKCE (S256): {@code /signin} sends the browser to the
 * provider with a fresh state, nonce and code challenge (the state also goes in a short-lived cookie, so a callback
 * started in another browser is refused); {@code /signin/callback} redeems the code with the verifier, checks the ID
 * token and opens a session. Sign-out is a change ({@code POST /signout}, with the CSRF token) in
 * {@code dev.moat.console.web}.
 */
@Path("/signin")
@Blocking
public class SignInResource {

    private static final Logger LOG = Logger.getLogger(SignInResource.class);
    public static final String SESSION_COOKIE = "__Host-moat-session";
    static final String STATE_COOKIE = "__Host-moat-signin";
    private static final Duration PENDING = Duration.ofMinutes(10);

    private record Pending(String verifier, String nonce, String returnTo, Instant expires) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final OidcProvider provider;
    private final Sessions sessions;
    private final ConsoleConfig config;
    private final Template signinFailed;

    public SignInResource(OidcProvider provider, Sessions sessions, ConsoleConfig config,
            @io.quarkus.qute.Location("signin-failed.html") Template signinFailed) {
        this.provider = provider;
        this.sessions = sessions;
        this.config = config;
        this.signinFailed = signinFailed;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response start(@QueryParam("return") String returnTo) {
        Instant now = Instant.now();
        pending.values().removeIf(p -> p.expires().isBefore(now));
        String state = Sessions.random();
        String verifier = Sessions.random() + Sessions.random();
        String nonce = Sessions.random();
        pending.put(state, new Pending(verifier, nonce, localPath(returnTo), now.plus(PENDING)));
        try {
            return Response.seeOther(URI.create(provider.authorizeUrl(state, nonce, challenge(verifier))))
                    .header("Set-Cookie", cookie(STATE_COOKIE, state, PENDING.toSeconds())).build();
        } catch (OidcProvider.Refused e) {
            return failed(e.getMessage());
        }
    }

    @GET
    @Path("/callback")
    @Produces(MediaType.TEXT_HTML)
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @QueryParam("error_description") String description,
            @CookieParam(STATE_COOKIE) String stateCookie) {
        if (error != null) {
            return failed(error + ": " + (description == null ? "" : description));
        }
        if (state == null || !state.equals(stateCookie)) {
            return failed("This sign-in was not started by this browser (its state does not match). Sign in again.");
        }
        Pending started = pending.remove(state);
        if (started == null || started.expires().isBefore(Instant.now()) || code == null) {
            return failed("This sign-in has expired or was already used. Sign in again.");
        }
        try {
            OidcProvider.Tokens tokens = provider.redeem(code, started.verifier());
            if (tokens.idToken() == null) {
                return failed("The provider sent no ID token (is 'openid' in moat.console.oidc.scope?).");
            }
            Claims id = provider.verify(tokens.idToken(), started.nonce());
            String dataPlane = tokens.accessToken();
            if (config.oidc().dataPlaneScope().isPresent()) {
                if (tokens.refreshToken() == null) {
                    return failed("The provider sent no refresh token for the data plane's token (is "
                            + "'offline_access' in moat.console.oidc.scope?).");
                }
                dataPlane = provider.refresh(tokens.refreshToken(), config.oidc().dataPlaneScope().get()).accessToken();
            }
            String objectId = id.objectId();
            String name = id.text("preferred_username").or(() -> id.text("name")).orElse(objectId);
            Session session = sessions.open(name, objectId, id.text("tid").orElse(""),
                    tokens.accessToken(), dataPlane,
                    Instant.now().plusSeconds(tokens.expiresIn()));
            LOG.infof("signed in: %s (oid %s)", name, objectId);
            return Response.seeOther(URI.create(started.returnTo()))
                    .header("Set-Cookie", cookie(SESSION_COOKIE, session.id(), -1))
                    .header("Set-Cookie", cookie(STATE_COOKIE, "", 0)).build();
        } catch (OidcProvider.Refused e) {
            return failed(e.getMessage());
        }
    }

    @GET
    @Path("/signed-out")
    @Produces(MediaType.TEXT_HTML)
    public String signedOut() {
        return signinFailed.data("message", null).render();
    }

    /** Secure, HttpOnly, SameSite=Lax (the provider's redirect back is a cross-origin navigation), host-only. */
    public static String cookie(String name, String value, long maxAge) {
        return name + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax" + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    /** Only a path of this console is a place to return to (no open redirect). */
    static String localPath(String returnTo) {
        if (returnTo == null || !returnTo.startsWith("/") || returnTo.startsWith("//") || returnTo.contains("\\")) {
            return "/";
        }
        return returnTo;
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response failed(String message) {
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                .entity(signinFailed.data("message", message).render()).build();
    }
}
