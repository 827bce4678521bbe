package dev.moat.vault.keys;

import java.util.Map;

import dev.moat.vault.objects.Attributes;
import dev.moat.vault.objects.Named;

/**
 * One key version as Key Vault returns it: its public JWK (never the private key), attributes and tags.
 *
 * @param name the key's name as first written
 * @param managed whether the key belongs to a certificate (Key Vault's {@code "managed": true})
 */
public record KeyBundle(String name, String version, JsonWebKey key, Attributes attributes, Map<String, String> tags,
        boolean managed) implements Named {

    public KeyBundle {
        tags = Map.copyOf(tags);
    }
}
