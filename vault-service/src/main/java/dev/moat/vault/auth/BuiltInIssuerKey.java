package dev.moat.vault.auth;

import org.jose4j.jwk.PublicJsonWebKey;

/**
 * The public key of vault-service's built-in token issuer, which {@link TokenValidator} trusts for that issuer's
 * tokens. Implemented where the key is kept ({@code dev.moat.vault.issuer}), so that checking tokens does not depend
 * on issuing them.
 */
public interface BuiltInIssuerKey {

    PublicJsonWebKey publicJwk();
}
