package dev.moat.vault.secrets;

import java.util.Map;

/**
 * A secret version without its value: what lists, updates, deletes and recoveries return.
 *
 * @param name the secret's name as first written
 * @param version 32 lowercase hexadecimal characters
 * @param contentType null when unset
 */
public record SecretProperties(String name, String version, String contentType, SecretAttributes attributes,
        Map<String, String> tags) {

    public SecretProperties {
        tags = Map.copyOf(tags);
    }
}
