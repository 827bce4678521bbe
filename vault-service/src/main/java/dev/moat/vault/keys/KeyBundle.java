package dev.moat.vault.keys;

import java.util.Map;

/**
 * One key version as Key Vault returns it: its public JWK (never the private key), attributes and tags.
 *
 * @param name the key's name as first written
 * @param managed whether the key belongs to a certificate (Key Vault's {@code "managed": true})
 */
public record KeyBundle(String name, String version, JsonWebKey key, KeyAttributes attributes, Map<String, String> tags,
        boolean managed) {

    public KeyBundle {
        tags = Map.copyOf(tags);
    }
}
