package dev.moat.token;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a verified token says about its caller, read the way Entra ID's tokens are read. Each service maps these to
 * its own rights.
 *
 * @param issuer {@code iss}
 * @param trustedIssuer the trusted issuer whose key verified the token
 * @param tenantId {@code tid}, or null
 * @param objectId {@code oid}, else {@code sub}, or null when the token has neither
 * @param applicationId {@code appid}, else {@code azp}, or null
 * @param roles {@code roles}, empty when absent or not a list of strings
 * @param audiences {@code aud}
 * @param notBefore {@code nbf}, or null
 * @param expiresAt {@code exp}
 * @param texts every claim whose value is a string, by name, for the claims a service reads beyond these
 *        ({@code nonce}, {@code preferred_username}...)
 */
public record Claims(String issuer, TrustedIssuer trustedIssuer, String tenantId, String objectId,
        String applicationId, List<String> roles, List<String> audiences, Instant notBefore, Instant expiresAt,
        Map<String, String> texts) {

    public Claims {
        roles = List.copyOf(roles);
        audiences = List.copyOf(audiences);
        texts = Map.copyOf(texts);
    }

    /** The claim {@code name} when it is a string that is not blank. */
    public Optional<String> text(String name) {
        return Optional.ofNullable(texts.get(name)).filter(value -> !value.isBlank());
    }
}
