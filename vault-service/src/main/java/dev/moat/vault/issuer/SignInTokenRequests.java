package dev.moat.vault.issuer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.moat.vault.config.VaultConfig;

/**
 * The token requests of people signed in at the authorize endpoint: {@code grant_type=authorization_code} (with the
 * PKCE {@code code_verifier}, RFC 7636, S256 only) and {@code grant_type=refresh_token}. This class only decides who
 * gets a token for what; {@link TokenIssuer} signs it, as it signs every token of the issuer.
 */
@ApplicationScoped
public class SignInTokenRequests {

    /** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    /** Entra's answer to a code or refresh token that is not ours, has expired, or was redeemed before. */
    private static final Checked UNUSABLE_GRANT = refused(400, "invalid_grant", 70008, "The provided authorization "
            + "code or refresh token has expired due to inactivity, was already redeemed, or is not valid.");

    /** Entra's answer to a grant whose user is no longer configured. */
    private static final Checked NO_SUCH_USER = refused(400, "invalid_grant", 50034, "The user account does not "
            + "exist in the directory.");

    /** Who gets a token, for which client and scope. */
    public sealed interface Checked {
        /**
         * @param scope the requested scope, whose first {@code <resource>/.default} names the audience
         * @param nonce the sign-in's nonce for the ID token; null on a refresh
         * @param idToken whether an ID token goes with it ({@code openid} was asked for at sign-in)
         */
        record Accepted(LocalUsers.User user, String clientId, String scope, String nonce, boolean idToken)
                implements Checked {
        }

        record Refused(TokenIssuer.Outcome.Refused refusal) implements Checked {
        }
    }

    @Inject
    VaultConfig config;
    @Inject
    SignInGrants grants;
    @Inject
    LocalUsers users;

    public Checked authorizationCode(String tenant, Map<String, String> form) {
        Optional<String> client = signInClient(form.get("client_id"));
        if (client.isEmpty()) {
            return unknownClient(tenant, form.get("client_id"));
        }
        Optional<SignInGrants.Code> redeemed = grants.redeemCode(form.get("code"));
        if (redeemed.isEmpty()) {
            return UNUSABLE_GRANT;
        }
        SignInGrants.Code code = redeemed.get();
        if (!code.clientId().equalsIgnoreCase(client.get()) || !code.tenant().equalsIgnoreCase(tenant)) {
            return refused(400, "invalid_grant", 70000, "The provided authorization code was issued to another client "
                    + "or tenant.");
        }
        if (!code.redirectUri().equals(form.get("redirect_uri"))) {
            return refused(400, "invalid_grant", 50148, "The redirect_uri must be the one the authorization request "
                    + "sent.");
        }
        String verifier = form.get("code_verifier");
        if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
            return refused(400, "invalid_request", 501481, "The code_verifier must be 43 to 128 characters of "
                    + "A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636).");
        }
        if (!MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
                code.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            return refused(400, "invalid_grant", 501481, "The code_verifier does not match the code_challenge "
                    + "supplied in the authorization request.");
        }
        Optional<LocalUsers.User> user = users.byName(code.userName());
        if (user.isEmpty()) {
            return NO_SUCH_USER;
        }
        String scope = TokenIssuer.resourceOf(form.get("scope")) != null ? form.get("scope") : code.scope();
        boolean openid = code.scope() != null && java.util.Arrays.asList(code.scope().split("\\s+")).contains("openid");
        return new Checked.Accepted(user.get(), client.get(), scope, code.nonce(), openid);
    }

    public Checked refreshToken(String tenant, Map<String, String> form) {
        Optional<String> client = signInClient(form.get("client_id"));
        if (client.isEmpty()) {
            return unknownClient(tenant, form.get("client_id"));
        }
        Optional<SignInGrants.Refresh> refresh = grants.redeemRefresh(form.get("refresh_token"));
        if (refresh.isEmpty() || !refresh.get().clientId().equalsIgnoreCase(client.get())
                || !refresh.get().tenant().equalsIgnoreCase(tenant)) {
            return UNUSABLE_GRANT;
        }
        Optional<LocalUsers.User> user = users.byName(refresh.get().userName());
        if (user.isEmpty()) {
            return NO_SUCH_USER;
        }
        return new Checked.Accepted(user.get(), client.get(), form.get("scope"), null, false);
    }

    /** The configured id of a sign-in client, whatever the case it is given in. */
    Optional<String> signInClient(String clientId) {
        if (clientId == null) {
            return Optional.empty();
        }
        String key = clientId.toLowerCase(Locale.ROOT);
        return config.tokenIssuer().signInClients().keySet().stream()
                .filter(id -> id.toLowerCase(Locale.ROOT).equals(key)).findFirst();
    }

    /** BASE64URL(SHA-256(ASCII(verifier))), without padding: the S256 code challenge. */
    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Checked unknownClient(String tenant, String clientId) {
        return refused(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                + "' was not found in the directory '" + tenant + "'.");
    }

    private static Checked refused(int status, String error, int code, String description) {
        return new Checked.Refused(new TokenIssuer.Outcome.Refused(status, error, code, description));
    }
}
