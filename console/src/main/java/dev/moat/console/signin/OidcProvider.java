package dev.moat.console.signin;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.console.config.ConsoleConfig;
import dev.moat.console.moat.Tls;

/**
 * The OpenID Connect provider the console signs users in with (the built-in issuer of the local stack, or Entra ID,
 * Keycloak...): its metadata from {@code <issuer>/.well-known/openid-configuration}, the authorization code grant
 * with PKCE, the refresh grant for the data plane's token, and the ID token's verification (RS256 only, issuer,
 * audience, lifetime, nonce).
 */
@ApplicationScoped
public class OidcProvider {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The tokens of a sign-in or a refresh. */
    public record Tokens(String accessToken, String refreshToken, String idToken, long expiresIn) {
    }

    /** The provider refused (its {@code error} and {@code error_description}) or could not be reached. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final ConsoleConfig config;
    private final ObjectMapper json;
    private final HttpClient http;
    private volatile JsonNode metadata;
    private volatile JsonWebKeySet keys;

    public OidcProvider(ConsoleConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .sslContext(Tls.context(config.oidc().caFile())).build();
    }

    public String redirectUri() {
        return config.publicUrl() + "/signin/callback";
    }

    public String authorizeUrl(String state, String nonce, String codeChallenge) throws Refused {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", config.oidc().clientId());
        params.put("response_type", "code");
        params.put("redirect_uri", redirectUri());
        params.put("scope", config.oidc().scope());
        params.put("state", state);
        params.put("nonce", nonce);
        params.put("code_challenge", codeChallenge);
        params.put("code_challenge_method", "S256");
        return metadata().path("authorization_endpoint").asText() + "?" + form(params);
    }

    public Tokens redeem(String code, String verifier) throws Refused {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", code);
        params.put("redirect_uri", redirectUri());
        params.put("code_verifier", verifier);
        return token(params);
    }

    public Tokens refresh(String refreshToken, String scope) throws Refused {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "refresh_token");
        params.put("refresh_token", refreshToken);
        params.put("scope", scope);
        return token(params);
    }

    /** The ID token's claims, verified; the keys are fetched again once when the token names an unknown one. */
    public JwtClaims verify(String idToken, String nonce) throws Refused {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (keys == null || attempt == 1) {
                keys = jwks();
            }
            try {
                JwtClaims claims = new JwtConsumerBuilder()
                        .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
                        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                                AlgorithmIdentifiers.RSA_USING_SHA256)
                        .setExpectedIssuer(config.oidc().issuer())
                        .setExpectedAudience(config.oidc().clientId())
                        .setRequireExpirationTime()
                        .setAllowedClockSkewInSeconds(60)
                        .build().processToClaims(idToken);
                if (!nonce.equals(claims.getClaimValue("nonce"))) {
                    throw new Refused("the ID token's nonce is not this sign-in's");
                }
                return claims;
            } catch (InvalidJwtException e) {
                if (attempt == 1) {
                    throw new Refused("the ID token is not valid: " + e.getOriginalMessage());
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private Tokens token(Map<String, String> params) throws Refused {
        params.put("client_id", config.oidc().clientId());
        config.oidc().clientSecret().ifPresent(secret -> params.put("client_secret", secret));
        HttpRequest request = HttpRequest.newBuilder(URI.create(metadata().path("token_endpoint").asText()))
                .timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build();
        JsonNode answer = call(request);
        if (!answer.hasNonNull("access_token")) {
            throw new Refused(answer.path("error").asText("no access token") + ": "
                    + answer.path("error_description").asText(""));
        }
        return new Tokens(answer.path("access_token").asText(), answer.path("refresh_token").asText(null),
                answer.path("id_token").asText(null), answer.path("expires_in").asLong(3600));
    }

    private JsonNode metadata() throws Refused {
        JsonNode m = metadata;
        if (m == null) {
            String issuer = config.oidc().issuer();
            m = call(HttpRequest.newBuilder(URI.create((issuer.endsWith("/") ? issuer : issuer + "/")
                    + ".well-known/openid-configuration")).timeout(TIMEOUT).GET().build());
            if (!m.hasNonNull("authorization_endpoint") || !m.hasNonNull("token_endpoint") || !m.hasNonNull("jwks_uri")) {
                throw new Refused("the provider's metadata names no authorization_endpoint, token_endpoint or jwks_uri");
            }
            metadata = m;
        }
        return m;
    }

    private JsonWebKeySet jwks() throws Refused {
        JsonNode set = call(HttpRequest.newBuilder(URI.create(metadata().path("jwks_uri").asText())).timeout(TIMEOUT)
                .GET().build());
        try {
            return new JsonWebKeySet(set.toString());
        } catch (JoseException e) {
            throw new Refused("the provider's keys cannot be read: " + e.getMessage());
        }
    }

    private JsonNode call(HttpRequest request) throws Refused {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new Refused("the sign-in provider could not be reached (" + request.uri().getHost() + "): "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted");
        }
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static Optional<String> text(JwtClaims claims, String name) {
        Object value = claims.getClaimValue(name);
        return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
