package dev.moat.vault.issuer;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.moat.vault.config.VaultConfig;
import io.smallrye.common.annotation.Blocking;

/**
 * The authorize endpoint of the built-in issuer, {@code /{tenant}/oauth2/v2.0/authorize}: OpenID Connect's
 * authorization code flow with PKCE (S256 only) for the sign-in clients of {@code moat.vault.token-issuer.sign-in-clients}
 * (the console). GET shows a sign-in form for the local users of {@code moat.vault.token-issuer.users}; POST checks the
 * password and sends the browser back to the client's registered redirect URI with a single-use code, which the
 * client redeems at the token endpoint with its {@code code_verifier}.
 *
 * <p>An unknown client or a redirect URI that is not registered for it is answered here (400), never by a redirect
 * (RFC 6749 section 4.1.2.1); other errors go back to the client as {@code error} parameters.
 */
@Path("/{tenant}")
@Blocking
public class AuthorizeResource {

    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final List<String> PARAMETERS = List.of("client_id", "redirect_uri", "response_type", "scope",
            "state", "nonce", "code_challenge", "code_challenge_method", "response_mode");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    VaultConfig config;
    @Inject
    SignInTokenRequests signIns;
    @Inject
    SignInGrants grants;
    @Inject
    LocalUsers users;

    /** A checked authorization request: its parameters, the configured client id, and the error to send back. */
    private record Request(Map<String, String> params, String clientId, String displayName, String error) {
        String get(String name) {
            return params.get(name);
        }
    }

    @GET
    @Path("/oauth2/v2.0/authorize")
    public Response form(@PathParam("tenant") String tenant, @Context UriInfo uri) {
        if (!config.tokenIssuer().enabled()) {
            return page(404, "Sign-in is not available", "The built-in token issuer is disabled.", null, null);
        }
        Map<String, String> params = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, v) -> params.put(k, v.isEmpty() ? null : v.get(0)));
        return answer(tenant, params, null);
    }

    @POST
    @Path("/oauth2/v2.0/authorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@PathParam("tenant") String tenant, MultivaluedMap<String, String> form) {
        if (!config.tokenIssuer().enabled()) {
            return page(404, "Sign-in is not available", "The built-in token issuer is disabled.", null, null);
        }
        Map<String, String> params = new LinkedHashMap<>();
        form.forEach((k, v) -> params.put(k, v.isEmpty() ? null : v.get(0)));
        return answer(tenant, params, form);
    }

    private Response answer(String tenant, Map<String, String> params, MultivaluedMap<String, String> credentials) {
        Optional<String> clientId = signIns.signInClient(params.get("client_id"));
        String redirect = params.get("redirect_uri");
        if (clientId.isEmpty()) {
            return page(400, "Sign-in failed", "AADSTS700016: Application with identifier '" + params.get("client_id")
                    + "' was not found in the directory '" + tenant + "'.", null, null);
        }
        VaultConfig.TokenIssuer.SignInClient client = config.tokenIssuer().signInClients().get(clientId.get());
        if (redirect == null || !client.redirectUris().contains(redirect)) {
            return page(400, "Sign-in failed", "AADSTS50011: The redirect URI '" + redirect + "' specified in the "
                    + "request does not match the redirect URIs configured for the application '" + clientId.get()
                    + "'.", null, null);
        }
        Request request = check(params, clientId.get(), client.displayName().orElse(clientId.get()));
        if (request.error() != null) {
            return back(redirect, Map.of("error", "invalid_request", "error_description", request.error(),
                    "state", String.valueOf(params.get("state"))));
        }
        if (credentials == null) {
            return page(200, "Sign in", null, request, null);
        }
        String user = credentials.getFirst("username");
        Optional<LocalUsers.User> signedIn = users.authenticate(user, credentials.getFirst("password"));
        if (signedIn.isEmpty() || !signedIn.get().tenantId().equalsIgnoreCase(tenant)) {
            return page(200, "Sign in", "AADSTS50126: Error validating credentials due to invalid username or "
                    + "password.", request, user);
        }
        String code = grants.code(new SignInGrants.Code(tenant, clientId.get(), redirect,
                request.get("code_challenge"), signedIn.get().name(), request.get("nonce"), request.get("scope")));
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code);
        if (request.get("state") != null) {
            answer.put("state", request.get("state"));
        }
        return back(redirect, answer);
    }

    private static Request check(Map<String, String> params, String clientId, String displayName) {
        Map<String, String> kept = new LinkedHashMap<>();
        PARAMETERS.forEach(p -> {
            if (params.get(p) != null) {
                kept.put(p, params.get(p));
            }
        });
        String error = null;
        if (!"code".equals(params.get("response_type"))) {
            error = "AADSTS900144: response_type must be 'code' (the authorization code flow).";
        } else if (!"S256".equals(params.get("code_challenge_method"))) {
            error = "AADSTS501491: PKCE is required: code_challenge_method must be 'S256'.";
        } else if (params.get("code_challenge") == null || !CHALLENGE.matcher(params.get("code_challenge")).matches()) {
            error = "AADSTS501491: code_challenge must be the base64url SHA-256 of the code_verifier (43 characters).";
        } else if (params.get("response_mode") != null && !"query".equals(params.get("response_mode"))) {
            error = "AADSTS900144: only response_mode=query is supported.";
        }
        return new Request(kept, clientId, displayName, error);
    }

    private static Response back(String redirect, Map<String, String> params) {
        StringBuilder location = new StringBuilder(redirect).append(redirect.contains("?") ? '&' : '?');
        params.forEach((k, v) -> location.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        location.setLength(location.length() - 1);
        return Response.seeOther(URI.create(location.toString())).header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer").build();
    }

    /** The sign-in page (or an error page when request is null), with no script and a nonce-bound style. */
    private static Response page(int status, String title, String message, Request request, String user) {
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        String nonce = Base64.getEncoder().encodeToString(nonceBytes);
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Moat - ").append(escape(title)).append("</title><style nonce=\"").append(nonce)
                .append("\">body{font-family:system-ui,sans-serif;background:#f3f2f1;margin:0}main{max-width:22rem;")
                .append("margin:4rem auto;background:#fff;padding:2rem;box-shadow:0 2px 6px #0003}label{display:block;")
                .append("margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.4rem;")
                .append("box-sizing:border-box}button{margin-top:1.2rem;padding:.5rem 1.5rem;background:#0078d4;")
                .append("color:#fff;border:0}.error{color:#a4262c}</style></head><body><main><h1>")
                .append(escape(title)).append("</h1>");
        if (message != null) {
            html.append("<p class=\"error\" id=\"error\">").append(escape(message)).append("</p>");
        }
        String formAction = "'self'";
        if (request != null) {
            URI redirect = URI.create(request.get("redirect_uri"));
            formAction += " " + redirect.getScheme() + "://" + redirect.getAuthority();
            html.append("<p>to continue to ").append(escape(request.displayName())).append("</p>")
                    .append("<form method=\"post\" action=\"authorize\">");
            request.params().forEach((k, v) -> html.append("<input type=\"hidden\" name=\"").append(escape(k))
                    .append("\" value=\"").append(escape(v)).append("\">"));
            html.append("<label for=\"username\">User name</label><input type=\"text\" id=\"username\" ")
                    .append("name=\"username\" autocomplete=\"username\" required value=\"")
                    .append(escape(user == null ? "" : user)).append("\">")
                    .append("<label for=\"password\">Password</label><input type=\"password\" id=\"password\" ")
                    .append("name=\"password\" autocomplete=\"current-password\" required>")
                    .append("<button type=\"submit\" id=\"sign-in\">Sign in</button></form>");
        }
        html.append("</main></body></html>");
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html.toString())
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce + "'; "
                        + "form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
