package dev.moat.vault.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.moat.vault.config.VaultConfig;

/** Builds a request's {@link Endpoint}: the configured public port, else the port the request arrived on. */
@ApplicationScoped
public class Endpoints {

    @Inject
    VaultConfig config;

    public Endpoint of(int localPort) {
        return new Endpoint(config.dnsSuffix(), config.publicPort().orElse(localPort));
    }
}
