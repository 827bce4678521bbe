package dev.moat.vault.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.moat.vault.config.VaultConfig;

/**
 * The {@code WWW-Authenticate} values. The data plane's is the exact Key Vault challenge of azure-compat.md
 * section 1: {@code Bearer authorization="<authority>/<tenant>", resource="<data-plane resource>"}; values carry no
 * ',' or '=' because older Python clients split the header naively (section 9).
 */
@ApplicationScoped
public class Challenges {

    @Inject
    VaultConfig config;

    /** The authority with the tenant: where clients get tokens. */
    public String authorization(Endpoint endpoint) {
        String authority = config.auth().authority().orElse(endpoint.bareHostUrl());
        return (authority.endsWith("/") ? authority : authority + "/") + config.auth().tenantId();
    }

    public String dataPlane(Endpoint endpoint) {
        return "Bearer authorization=\"" + authorization(endpoint) + "\", resource=\"" + endpoint.dataPlaneResource()
                + "\"";
    }

    /** ARM's form: {@code Bearer authorization_uri="…", error="invalid_token", error_description="…"}. */
    public String management(Endpoint endpoint, String description) {
        return "Bearer authorization_uri=\"" + authorization(endpoint) + "\", error=\"invalid_token\", "
                + "error_description=\"" + description.replace("\"", "'") + "\"";
    }
}
