package dev.moat.vault.secrets;

import java.util.Map;

import dev.moat.vault.objects.Attributes;
import dev.moat.vault.objects.Named;

/**
 * A secret version without its value: what lists, updates, deletes and recoveries return.
 *
 * @param name the secret's name as first written
 * @param version 32 lowercase hexadecimal characters
 * @param contentType null when unset
 */
public record SecretProperties(String name, String version, String contentType, Attributes attributes,
        Map<String, String> tags) implements Named {

    public SecretProperties {
        tags = Map.copyOf(tags);
    }
}
