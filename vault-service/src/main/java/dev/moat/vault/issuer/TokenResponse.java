package dev.moat.vault.issuer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The token endpoint's answer (RFC 6749 section 5.1, with Entra's {@code ext_expires_in}); a refresh token and an ID
 * token are there only for a person who signed in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TokenResponse(
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("ext_expires_in") long extExpiresIn,
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("id_token") String idToken) {

    static TokenResponse of(TokenIssuer.Outcome.Issued issued) {
        return new TokenResponse("Bearer", issued.expiresIn(), issued.expiresIn(), issued.accessToken(),
                issued.refreshToken(), issued.idToken());
    }

    /** Never the tokens, should this ever be logged. */
    @Override
    public String toString() {
        return "TokenResponse[token_type=" + tokenType + ", expires_in=" + expiresIn + "]";
    }
}
