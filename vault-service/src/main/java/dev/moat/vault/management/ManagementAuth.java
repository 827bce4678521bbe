package dev.moat.vault.management;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.vault.auth.Authentication;
import dev.moat.vault.auth.Challenges;
import dev.moat.vault.auth.Endpoint;
import dev.moat.vault.auth.Identity;
import dev.moat.vault.auth.TokenValidator;
import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.vaults.Vault;

/**
 * Authentication and authorisation of management calls. Tokens must carry the management audience
 * ({@code moat.vault.auth.management-audience}); a data-plane token is refused here as the management token is on the
 * data plane. Administrators ({@code moat.vault.management.administrators}, by object id) may do everything; any other
 * authenticated caller may create a vault and then owns it: only its owner and the administrators may change or
 * delete it, and they and the readers ({@code moat.vault.management.readers}) may read it. Virtual networks are shared
 * infrastructure: administrators change them, readers read them.
 */
@ApplicationScoped
public class ManagementAuth {

    private final TokenValidator tokens;
    private final Challenges challenges;
    private final Set<String> audiences;
    private final List<String> administrators;
    private final List<String> readers;

    public ManagementAuth(TokenValidator tokens, Challenges challenges, VaultConfig config) {
        this.tokens = tokens;
        this.challenges = challenges;
        String audience = config.auth().managementAudience();
        String bare = audience.endsWith("/") ? audience.substring(0, audience.length() - 1) : audience;
        this.audiences = Set.of(bare, bare + "/");
        this.administrators = config.management().administrators().orElse(List.of());
        this.readers = config.management().readers().orElse(List.of());
    }

    /** The caller, or a 401 in ARM's words with a {@code WWW-Authenticate} challenge. */
    public Identity authenticate(String authorization, Endpoint endpoint) {
        Authentication result = tokens.validate(authorization, audiences, endpoint);
        if (result instanceof Authentication.Authenticated authenticated) {
            return authenticated.identity();
        }
        Authentication.Failed failed = (Authentication.Failed) result;
        String code;
        String message;
        switch (failed.failure()) {
            case MISSING -> {
                code = "AuthenticationFailed";
                message = "Authentication failed. The 'Authorization' header is missing or is not a Bearer token.";
            }
            case EXPIRED -> {
                code = "ExpiredAuthenticationToken";
                message = "The access token has expired. Get a new token and retry.";
            }
            case WRONG_AUDIENCE -> {
                code = "InvalidAuthenticationTokenAudience";
                message = "The access token has been obtained for the wrong audience or resource. " + failed.message()
                        + " It should exactly match the management audience '" + audiences.iterator().next() + "'.";
            }
            default -> {
                code = "InvalidAuthenticationToken";
                message = "The access token is invalid. " + failed.message();
            }
        }
        throw new ArmException(401, code, message,
                Map.of("WWW-Authenticate", challenges.management(endpoint, failed.message())));
    }

    public boolean isAdministrator(Identity caller) {
        return administrators.stream().anyMatch(a -> a.equalsIgnoreCase(caller.objectId()));
    }

    /** Readers ({@code moat.vault.management.readers}) see every vault and network but change none. */
    public boolean isReader(Identity caller) {
        return isAdministrator(caller) || readers.stream().anyMatch(r -> r.equalsIgnoreCase(caller.objectId()));
    }

    public boolean mayRead(Identity caller, Vault vault) {
        return mayManage(caller, vault) || isReader(caller);
    }

    /** 403 {@code AuthorizationFailed} unless the caller may read the vault. */
    public void requireRead(Identity caller, Vault vault, String action) {
        require(mayRead(caller, vault), caller, action, vault.id());
    }

    /** 403 {@code AuthorizationFailed} unless the caller is a reader or an administrator. */
    public void requireReader(Identity caller, String action, String scope) {
        require(isReader(caller), caller, action, scope);
    }

    public boolean mayManage(Identity caller, Vault vault) {
        return isAdministrator(caller) || (vault.owner().objectId().equalsIgnoreCase(caller.objectId())
                && vault.owner().tenantId().equalsIgnoreCase(caller.tenantId()));
    }

    /** 403 {@code AuthorizationFailed} unless the caller owns the vault or is an administrator. */
    public void requireManage(Identity caller, Vault vault, String action) {
        require(mayManage(caller, vault), caller, action, vault.id());
    }

    public void requireAdministrator(Identity caller, String action, String scope) {
        require(isAdministrator(caller), caller, action, scope);
    }

    /** 403 {@code AuthorizationFailed}, naming the caller, the action and its scope, unless {@code allowed}. */
    private static void require(boolean allowed, Identity caller, String action, String scope) {
        if (!allowed) {
            throw new ArmException(403, "AuthorizationFailed", "The client '" + caller.objectId()
                    + "' with object id '" + caller.objectId() + "' does not have authorization to perform action '"
                    + action + "' over scope '" + scope + "' or the scope is invalid. Only the vault's owner and Moat "
                    + "administrators may manage a vault; only administrators may manage virtual networks; readers may "
                    + "only read.");
        }
    }
}
