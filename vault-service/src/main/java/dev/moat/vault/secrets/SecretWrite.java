package dev.moat.vault.secrets;

import java.util.Map;

/**
 * What a set request asks for.
 *
 * @param value the secret's value (required)
 * @param contentType null when not given
 * @param tags empty when not given
 * @param enabled null when not given (a new version is enabled)
 * @param notBefore {@code nbf}, epoch seconds, null when not given
 * @param expires {@code exp}, epoch seconds, null when not given
 */
public record SecretWrite(String value, String contentType, Map<String, String> tags, Boolean enabled, Long notBefore,
        Long expires) {

    public SecretWrite {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    @Override
    public String toString() {
        return "SecretWrite[value=(redacted), contentType=" + contentType + ", tags=" + tags + "]";
    }
}
