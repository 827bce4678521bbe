package dev.moat.vault.issuer;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.auth.Endpoint;
import dev.moat.vault.auth.Endpoints;
import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.origin.OriginResolver;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * The built-in issuer on the bare host, under two authorities that issue the same tokens through {@link #token}:
 * <ul>
 * <li>Entra v2.0 style, {@code /{tenant}}: {@code POST /{tenant}/oauth2/v2.0/token},
 * {@code GET /{tenant}/v2.0/.well-known/openid-configuration} and {@code GET /{tenant}/discovery/v2.0/keys};</li>
 * <li>ADFS style, {@code /adfs} (the tenant {@code adfs}): {@code POST /adfs/oauth2/token},
 * {@code GET /adfs/.well-known/openid-configuration} and {@code GET /adfs/discovery/keys}. MSAL never validates an
 * ADFS authority against Microsoft's cloud, which is how clients that cannot switch instance discovery off (the Azure
 * CLI 2.45) sign in.</li>
 * </ul>
 * Both discovery documents are complete per OpenID Connect Discovery 1.0, because MSAL reads
 * {@code authorization_endpoint} even for client credentials; the Entra-style one is {@link AuthorizeResource}'s sign-in,
 * the ADFS-style one answers OAuth's {@code unsupported_response_type}. Everything answers 404 while
 * {@code moat.vault.token-issuer.enabled} is false.
 */
@Path("/{tenant}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TokenEndpointResource {

    private final VaultConfig config;
    private final TokenIssuer issuer;
    private final SigningKey key;
    private final Endpoints endpoints;
    private final ClientAuthenticationThrottle throttle;
    private final OriginResolver origins;

    public TokenEndpointResource(VaultConfig config, TokenIssuer issuer, SigningKey key, Endpoints endpoints,
            ClientAuthenticationThrottle throttle) {
        this.config = config;
        this.issuer = issuer;
        this.key = key;
        this.endpoints = endpoints;
        this.throttle = throttle;
        this.origins = new OriginResolver(config.firewall().trustedProxies().orElse(List.of()));
    }

    /** The one place tokens are issued, for both authorities. */
    @POST
    @Path("/oauth2/v2.0/token")
    @Consumes(MediaType.WILDCARD)
    public Response token(@PathParam("tenant") String tenant, MultivaluedMap<String, String> form,
            @Context HttpServerRequest request) {
        if (!config.tokenIssuer().enabled()) {
            return disabled();
        }
        Map<String, String> fields = new HashMap<>();
        if (form != null) {
            form.forEach((k, v) -> fields.put(k, v.isEmpty() ? null : v.get(0)));
        }
        Endpoint endpoint = endpoints.of(request.localAddress().port());
        String clientId = fields.get("client_id");
        String address = sourceAddress(request);
        Optional<Duration> wait = throttle.retryAfter(clientId, address);
        if (wait.isPresent()) {
            return Response.fromResponse(oauthError(429, "temporarily_unavailable", 50196,
                    "Too many failed client authentications for this client from this address; retry later."))
                    .header("Retry-After", String.valueOf(Math.max(1, (wait.get().toMillis() + 999) / 1000))).build();
        }
        TokenIssuer.Outcome outcome = issuer.issue(tenant, fields, endpoint);
        if (outcome instanceof TokenIssuer.Outcome.Issued issued) {
            return Response.ok(TokenResponse.of(issued)).header("Cache-Control", "no-store")
                    .header("Pragma", "no-cache").build();
        }
        TokenIssuer.Outcome.Refused refused = (TokenIssuer.Outcome.Refused) outcome;
        if (refused.error().equals("invalid_client")) {
            throttle.failed(clientId, address);
        }
        return oauthError(refused.status(), refused.error(), refused.code(), refused.description());
    }

    /** The client's address as the data plane resolves it (trusted proxies only); the TCP peer when unparseable. */
    private String sourceAddress(HttpServerRequest request) {
        String peer = request.remoteAddress().host();
        try {
            return origins.clientAddress(peer, request.headers().getAll("X-Forwarded-For"));
        } catch (OriginResolver.InvalidOriginException e) {
            return peer;
        }
    }

    /** The ADFS-style token endpoint: the same grant, for the client's own tenant. */
    @POST
    @Path("/oauth2/token")
    @Consumes(MediaType.WILDCARD)
    public Response adfsToken(@PathParam("tenant") String tenant, MultivaluedMap<String, String> form,
            @Context HttpServerRequest request) {
        if (!isAdfs(tenant)) {
            return notFound(request);
        }
        return token(TokenIssuer.ADFS, form, request);
    }

    @GET
    @Path("/v2.0/.well-known/openid-configuration")
    public Response openIdConfiguration(@PathParam("tenant") String tenant, @Context HttpServerRequest request) {
        if (!config.tokenIssuer().enabled()) {
            return disabled();
        }
        Endpoint endpoint = endpoints.of(request.localAddress().port());
        String base = endpoint.bareHostUrl() + "/" + tenant;
        Map<String, Object> body = discovery(endpoint.builtInIssuer(tenant), base + "/oauth2/v2.0/authorize",
                base + "/oauth2/v2.0/token", base + "/discovery/v2.0/keys");
        body.put("tenant_region_scope", null);
        body.put("cloud_instance_name", "localhost");
        // the Entra-style authority also signs people in (authorize endpoint, code with PKCE, refresh)
        body.put("grant_types_supported", List.of("client_credentials", "authorization_code", "refresh_token"));
        body.put("code_challenge_methods_supported", List.of("S256"));
        return Response.ok(body).build();
    }

    @GET
    @Path("/.well-known/openid-configuration")
    public Response adfsConfiguration(@PathParam("tenant") String tenant, @Context HttpServerRequest request) {
        if (!isAdfs(tenant)) {
            return notFound(request);
        }
        if (!config.tokenIssuer().enabled()) {
            return disabled();
        }
        Endpoint endpoint = endpoints.of(request.localAddress().port());
        String base = endpoint.bareHostUrl() + "/" + TokenIssuer.ADFS;
        // ADFS serves one directory: the tokens carry the configured tenant, and so does their issuer
        Map<String, Object> body = discovery(endpoint.builtInIssuer(config.auth().tenantId()),
                base + "/oauth2/authorize", base + "/oauth2/token", base + "/discovery/keys");
        body.put("access_token_issuer", endpoint.builtInIssuer(config.auth().tenantId()));
        return Response.ok(body).build();
    }

    /** OpenID Connect Discovery 1.0 section 3: every REQUIRED member, and the optional ones that are true here. */
    private static Map<String, Object> discovery(String issuerUrl, String authorize, String token, String jwks) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", issuerUrl);
        body.put("authorization_endpoint", authorize);
        body.put("token_endpoint", token);
        body.put("jwks_uri", jwks);
        body.put("response_types_supported", List.of("code"));
        body.put("response_modes_supported", List.of("query"));
        body.put("grant_types_supported", List.of("client_credentials"));
        body.put("subject_types_supported", List.of("pairwise"));
        body.put("id_token_signing_alg_values_supported", List.of("RS256"));
        body.put("token_endpoint_auth_methods_supported", List.of("client_secret_post"));
        body.put("scopes_supported", List.of("openid"));
        body.put("claims_supported", List.of("iss", "aud", "sub", "iat", "nbf", "exp", "jti", "tid", "oid", "appid",
                "azp", "idtyp", "ver"));
        body.put("request_uri_parameter_supported", false);
        return body;
    }

    /**
     * The ADFS-style authority's authorization endpoint, which its discovery document must name: that authority
     * serves client credentials only (people sign in through the Entra-style one, {@link AuthorizeResource}), so every
     * request gets OAuth's error here (RFC 6749 section 4.1.2.1) rather than through a redirect.
     */
    @GET
    @Path("/oauth2/authorize")
    public Response adfsAuthorize(@PathParam("tenant") String tenant, @Context HttpServerRequest request) {
        return isAdfs(tenant) ? interactiveRefused() : notFound(request);
    }

    private Response interactiveRefused() {
        if (!config.tokenIssuer().enabled()) {
            return disabled();
        }
        return oauthError(400, "unsupported_response_type", 70049, "The ADFS-style authority offers no interactive "
                + "sign-in: only the client_credentials grant at its token endpoint.");
    }

    @GET
    @Path("/discovery/v2.0/keys")
    public Response keys(@PathParam("tenant") String tenant) {
        if (!config.tokenIssuer().enabled()) {
            return disabled();
        }
        return Response.ok(Map.of("keys", List.of(key.publicJwk().toParams(
                org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY)))).build();
    }

    @GET
    @Path("/discovery/keys")
    public Response adfsKeys(@PathParam("tenant") String tenant, @Context HttpServerRequest request) {
        return isAdfs(tenant) ? keys(tenant) : notFound(request);
    }

    private static boolean isAdfs(String tenant) {
        return TokenIssuer.ADFS.equalsIgnoreCase(tenant);
    }

    /** Entra's error body: {@code error}, an {@code AADSTS} description, codes, time and trace ids. */
    private static Response oauthError(int status, String error, int code, String description) {
        String traceId = UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", "AADSTS" + code + ": " + description + " Trace ID: "
                + traceId + " Timestamp: " + DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        body.put("error_codes", List.of(code));
        body.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        body.put("trace_id", traceId);
        body.put("correlation_id", UUID.randomUUID().toString());
        return Response.status(status).entity(body).header("Cache-Control", "no-store").build();
    }

    private static Response notFound(HttpServerRequest request) {
        return Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "not_found", "error_description", "'" + request.path()
                        + "' is served only for the ADFS-style authority (/adfs)."))
                .build();
    }

    private static Response disabled() {
        return Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "not_found", "error_description",
                        "The built-in token issuer is disabled (moat.vault.token-issuer.enabled=false)."))
                .build();
    }
}
