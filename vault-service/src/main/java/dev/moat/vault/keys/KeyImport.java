package dev.moat.vault.keys;

import java.util.Map;

/** What an import request asks for: the JWK with its private key, attributes and tags. */
public record KeyImport(JsonWebKey key, Boolean enabled, Long notBefore, Long expires, Map<String, String> tags) {

    public KeyImport {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    @Override
    public String toString() {
        return "KeyImport[" + key + ", tags=" + tags + "]";
    }
}
