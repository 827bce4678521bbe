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
 * Entra-compatible endpoints of the built-in issuer on the bare host: the token endpoint
 * {@code POST /{tenant}/oauth2/v2.0/token} (all MSAL needs with {@code disableInstanceDiscovery()}), plus the OpenID
 * metadata and JWKS that other validators read. Everything answers 404 while {@code moat.vault.token-issuer.enabled}
 * is false.
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
            return refusal(new TokenIssuer.Outcome.Refused(429, "temporarily_unavailable", 50196,
                    "Too many failed client authentications for this client from this address; retry later."))
                    .header("Retry-After", String.valueOf(Math.max(1, (wait.get().toMillis() + 999) / 1000))).build();
        }
        TokenIssuer.Outcome outcome = issuer.issue(tenant, fields, endpoint);
        if (outcome instanceof TokenIssuer.Outcome.Issued issued) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token_type", "Bearer");
            body.put("expires_in", issued.expiresIn());
            body.put("ext_expires_in", issued.expiresIn());
            body.put("access_token", issued.accessToken());
            return Response.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
        }
        TokenIssuer.Outcome.Refused refused = (TokenIssuer.Outcome.Refused) outcome;
        if (refused.error().equals("invalid_client")) {
            throttle.failed(clientId, address);
        }
        return refusal(refused).build();
    }

    /** Entra's error body for a refused token request. */
    private static Response.ResponseBuilder refusal(TokenIssuer.Outcome.Refused refused) {
        String traceId = UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", refused.error());
        body.put("error_description", "AADSTS" + refused.code() + ": " + refused.description() + " Trace ID: "
                + traceId + " Timestamp: " + DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        body.put("error_codes", List.of(refused.code()));
        body.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        body.put("trace_id", traceId);
        body.put("correlation_id", UUID.randomUUID().toString());
        return Response.status(refused.status()).entity(body).header("Cache-Control", "no-store");
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

    @GET
    @Path("/v2.0/.well-known/openid-configuration")
    public Response openIdConfiguration(@PathParam("tenant") String tenant, @Context HttpServerRequest request) {
        if (!config.tokenIssuer().enabled()) {
            return disabled();
        }
        Endpoint endpoint = endpoints.of(request.localAddress().port());
        String base = endpoint.bareHostUrl() + "/" + tenant;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", endpoint.builtInIssuer(tenant));
        body.put("token_endpoint", base + "/oauth2/v2.0/token");
        body.put("jwks_uri", base + "/discovery/v2.0/keys");
        body.put("grant_types_supported", List.of("client_credentials"));
        body.put("response_types_supported", List.of("token"));
        body.put("subject_types_supported", List.of("pairwise"));
        body.put("id_token_signing_alg_values_supported", List.of("RS256"));
        body.put("token_endpoint_auth_methods_supported", List.of("client_secret_post"));
        body.put("tenant_region_scope", null);
        return Response.ok(body).build();
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

    private static Response disabled() {
        return Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "not_found", "error_description",
                        "The built-in token issuer is disabled (moat.vault.token-issuer.enabled=false)."))
                .build();
    }
}
