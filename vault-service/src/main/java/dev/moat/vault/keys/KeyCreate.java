package dev.moat.vault.keys;

import java.util.List;
import java.util.Map;

/**
 * What a create request asks for.
 *
 * @param kty {@code RSA} or {@code EC} (required)
 * @param keySize RSA bits, null for the default 2048
 * @param publicExponent null or 0 for 65537 (the only exponent offered)
 * @param crv EC curve, null for the default P-256
 * @param keyOps null when not given (the defaults of {@link KeyOperation})
 * @param tags empty when not given
 */
public record KeyCreate(String kty, Integer keySize, Long publicExponent, String crv, List<String> keyOps,
        Boolean enabled, Long notBefore, Long expires, Map<String, String> tags) {

    public KeyCreate {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
