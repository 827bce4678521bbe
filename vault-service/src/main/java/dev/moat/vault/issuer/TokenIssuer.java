package dev.moat.vault.issuer;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import dev.moat.vault.auth.Endpoint;
import dev.moat.vault.config.VaultConfig;

/**
 * The client-credentials grant of the built-in issuer (azure-compat.md section 4): checks the client and its secret,
 * takes the audience from the first {@code /.default} scope, and signs an RS256 JWT with {@code aud}, {@code iss},
 * {@code tid}, {@code oid}, {@code appid}/{@code azp}, {@code iat}, {@code nbf} and {@code exp}. Only the two Moat
 * audiences (the data plane's and the management plane's) are issued. Errors use Entra's codes and texts.
 */
@ApplicationScoped
public class TokenIssuer {

    /** The tenant segment of the ADFS-style authority, which issues for each client's own tenant. */
    public static final String ADFS = "adfs";

    private static final Logger LOG = Logger.getLogger(TokenIssuer.class);

    /** A token, or Entra's error. */
    public sealed interface Outcome {
        /**
         * @param idToken the OpenID Connect ID token of a signed-in person, or null
         * @param refreshToken a refresh token of a signed-in person, or null
         */
        record Issued(String accessToken, long expiresIn, String idToken, String refreshToken) implements Outcome {
            public Issued(String accessToken, long expiresIn) {
                this(accessToken, expiresIn, null, null);
            }
        }

        /**
         * @param status HTTP status (400 or 401)
         * @param error OAuth error code, for example {@code invalid_client}
         * @param code the AADSTS number
         */
        record Refused(int status, String error, int code, String description) implements Outcome {
        }
    }

    private final VaultConfig config;
    private final SigningKey key;
    private final SignInTokenRequests signIns;
    private final SignInGrants grants;

    public TokenIssuer(VaultConfig config, SigningKey key, SignInTokenRequests signIns, SignInGrants grants) {
        this.config = config;
        this.key = key;
        this.signIns = signIns;
        this.grants = grants;
        config.tokenIssuer().clients().forEach((id, client) -> {
            try {
                SecretHash.validate(client.secretHash());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("moat.vault.token-issuer.clients." + id + ".secret-hash: "
                        + e.getMessage(), e);
            }
        });
    }

    /** @param tenant the tenant of the authority asked, or {@code adfs} for the client's own tenant */
    public Outcome issue(String tenant, Map<String, String> form, Endpoint endpoint) {
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isBlank()) {
            return refused(400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'grant_type'.");
        }
        if (grantType.equals("authorization_code")) {
            return forUser(tenant, signIns.authorizationCode(tenant, form), endpoint);
        }
        if (grantType.equals("refresh_token")) {
            return forUser(tenant, signIns.refreshToken(tenant, form), endpoint);
        }
        if (!grantType.equals("client_credentials")) {
            return refused(400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'. Only client_credentials, "
                            + "authorization_code and refresh_token are supported here.");
        }
        String clientId = form.get("client_id");
        if (clientId == null || clientId.isBlank()) {
            return refused(400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'client_id'.");
        }
        String clientKey = clientId.toLowerCase(Locale.ROOT);
        Optional<Map.Entry<String, VaultConfig.TokenIssuer.Client>> entry = config.tokenIssuer().clients().entrySet()
                .stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(clientKey)).findFirst();
        if (entry.isEmpty()) {
            return refused(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant + "'.");
        }
        VaultConfig.TokenIssuer.Client client = entry.get().getValue();
        String clientTenant = client.tenantId().orElse(config.auth().tenantId());
        // the ADFS-style authority serves one directory: each client's own
        if (!tenant.equalsIgnoreCase(ADFS) && !clientTenant.equalsIgnoreCase(tenant)) {
            return refused(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant + "'.");
        }
        String secret = form.get("client_secret");
        if (secret == null || secret.isEmpty()) {
            return refused(401, "invalid_client", 7000216,
                    "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant "
                            + "type.");
        }
        if (!SecretHash.matches(secret, client.secretHash())) {
            LOG.infof("token refused: wrong secret for client %s", clientId);
            return refused(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being "
                    + "sent in the request is the client secret value, not the client secret ID.");
        }
        String scope = form.get("scope");
        String resource = resourceOf(scope);
        if (resource == null) {
            return refused(400, "invalid_scope", 1002012, "The provided value for scope '" + scope + "' is not valid. "
                    + "Client credential flows must have a scope value with /.default suffixed to the resource "
                    + "identifier (application ID URI).");
        }
        if (!isMoatAudience(resource, endpoint)) {
            return refused(400, "invalid_resource", 500011, "The resource principal named " + resource
                    + " was not found in the tenant named " + tenant + ". Moat issues tokens for "
                    + endpoint.dataPlaneResource() + " and " + config.auth().managementAudience() + ".");
        }
        return new Outcome.Issued(key.sign(accessToken(clientTenant, client.objectId(), entry.get().getKey(), resource,
                endpoint, "app"), "JWT"), lifetime());
    }

    /**
     * A signed-in person's tokens: the access token for the scope's resource (carrying the person's {@code oid}, so
     * access policies and the audit trail name them, and the sign-in client as {@code appid}), a refresh token for
     * the other resource, and an ID token when {@code openid} was asked for at sign-in.
     */
    private Outcome forUser(String tenant, SignInTokenRequests.Checked checked, Endpoint endpoint) {
        if (checked instanceof SignInTokenRequests.Checked.Refused refused) {
            return refused.refusal();
        }
        var accepted = (SignInTokenRequests.Checked.Accepted) checked;
        String resource = resourceOf(accepted.scope());
        if (resource == null || !isMoatAudience(resource, endpoint)) {
            return refused(400, "invalid_scope", 70011, "The provided value for scope '" + accepted.scope()
                    + "' is not valid: name one resource as '<resource>/.default', " + endpoint.dataPlaneResource()
                    + "/.default or " + stripSlash(config.auth().managementAudience()) + "/.default.");
        }
        LocalUsers.User user = accepted.user();
        JwtClaims access = accessToken(user.tenantId(), user.objectId(), accepted.clientId(), resource, endpoint,
                "user");
        access.setClaim("name", user.displayName());
        access.setClaim("preferred_username", user.name());
        String idToken = null;
        if (accepted.idToken()) {
            JwtClaims id = accessToken(user.tenantId(), user.objectId(), accepted.clientId(), accepted.clientId(),
                    endpoint, "user");
            id.unsetClaim("appid");
            id.setClaim("name", user.displayName());
            id.setClaim("preferred_username", user.name());
            if (accepted.nonce() != null) {
                id.setClaim("nonce", accepted.nonce());
            }
            idToken = key.sign(id, "JWT");
        }
        String refresh = grants.refresh(new SignInGrants.Refresh(tenant, accepted.clientId(), user.name()),
                config.tokenIssuer().refreshTokenLifetime());
        return new Outcome.Issued(key.sign(access, "JWT"), lifetime(), idToken, refresh);
    }

    private long lifetime() {
        return config.tokenIssuer().tokenLifetime().toSeconds();
    }

    private JwtClaims accessToken(String tenant, String objectId, String appId, String audience, Endpoint endpoint,
            String identityType) {
        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(endpoint.builtInIssuer(tenant));
        claims.setAudience(audience);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.getEpochSecond() + lifetime()));
        claims.setSubject(objectId);
        claims.setClaim("tid", tenant);
        claims.setClaim("oid", objectId);
        claims.setClaim("appid", appId);
        claims.setClaim("azp", appId);
        claims.setClaim("idtyp", identityType);
        claims.setClaim("ver", "2.0");
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    /** The resource of the first {@code <resource>/.default} scope; other scopes (openid, profile...) are ignored. */
    static String resourceOf(String scope) {
        if (scope == null) {
            return null;
        }
        for (String s : scope.trim().split("\\s+")) {
            if (s.endsWith("/.default") && s.length() > "/.default".length()) {
                return s.substring(0, s.length() - "/.default".length());
            }
        }
        return null;
    }

    private boolean isMoatAudience(String resource, Endpoint endpoint) {
        String r = resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
        return endpoint.dataPlaneAudiences().contains(r) || r.equals(stripSlash(config.auth().managementAudience()));
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static Outcome refused(int status, String error, int code, String description) {
        return new Outcome.Refused(status, error, code, description);
    }
}
