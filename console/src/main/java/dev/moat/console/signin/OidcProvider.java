package dev.moat.console.signin;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.console.config.ConsoleConfig;
import dev.moat.console.moat.Tls;
import dev.moat.token.Claims;
import dev.moat.token.Expectation;
import dev.moat.token.JsonWebKeys;
import dev.moat.token.JwksSource;
import dev.moat.token.TokenVerifier;
import dev.moat.token.TrustedIssuer;
import dev.moat.token.Verification;

/**
 * The OpenID Connect provider the console signs users in with (the built-in issuer of the local stack, or Entra ID,
 * Keycloak...): its metadata from {@code <issuer>/.well-known/openid-configuration}, the authorization code grant
 * with PKCE, the refresh grant for the data plane's token, and the ID token's verification: the shared
 * {@link TokenVerifier} (RS256 only, issuer, audience = client id, lifetime, keys from the provider's
 * {@code jwks_uri}, fetched again when a token names a key not seen yet), then this sign-in's nonce.
 */
@ApplicationScoped
public class OidcProvider {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Tolerated difference between the provider's clock and ours. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** An ID token naming an unknown key makes the provider's keys be fetched again at most this often. */
    private static final Duration JWKS_MIN_REFRESH_INTERVAL = Duration.ofSeconds(10);

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
    private final Expectation idToken;
    /** Each ID token is verified once, at its sign-in: none is remembered. */
    private final TokenVerifier verifier = new TokenVerifier(CLOCK_SKEW, 0, Clock.systemUTC());
    private volatile JsonNode metadata;

    public OidcProvider(ConsoleConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .sslContext(Tls.context(config.oidc().caFile())).build();
        JsonWebKeys keys = new JsonWebKeys(new ProviderKeys(), JWKS_MIN_REFRESH_INTERVAL, Clock.systemUTC());
        this.idToken = new Expectation(List.of(new TrustedIssuer("sign-in provider", config.oidc().issuer(), keys)),
                Set.of(config.oidc().clientId()));
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

    /** The ID token's claims, verified, and issued for this sign-in (its nonce). */
    public Claims verify(String idToken, String nonce) throws Refused {
        Verification verification = verifier.verify(idToken, this.idToken);
        if (verification instanceof Verification.Refused refused) {
            throw new Refused("the ID token is not valid: " + refused.message());
        }
        if (verification instanceof Verification.KeysUnavailable unavailable) {
            throw new Refused(unavailable.message());
        }
        Claims claims = ((Verification.Verified) verification).claims();
        if (!claims.text("nonce").orElse("").equals(nonce)) {
            throw new Refused("the ID token's nonce is not this sign-in's");
        }
        return claims;
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

    /** The provider's keys, from the {@code jwks_uri} of its metadata, over the console's own TLS trust. */
    private final class ProviderKeys implements JwksSource {

        @Override
        public String fetch() throws IOException {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                        metadata().path("jwks_uri").asText())).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 || response.body().length() > MAX_CHARS) {
                    throw new IOException("HTTP " + response.statusCode() + ", " + response.body().length()
                            + " characters");
                }
                return response.body();
            } catch (Refused e) {
                throw new IOException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public String toString() {
            JsonNode m = metadata;
            return m == null ? config.oidc().issuer() : m.path("jwks_uri").asText();
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
}
