package dev.moat.vault.auth;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.vault.config.VaultConfig;

/** Builds a request's {@link Endpoint}: the configured public port, else the port the request arrived on. */
@ApplicationScoped
public class Endpoints {

    private final VaultConfig config;

    public Endpoints(VaultConfig config) {
        this.config = config;
    }

    public Endpoint of(int localPort) {
        return new Endpoint(config.dnsSuffix(), config.publicPort().orElse(localPort));
    }
}
