package dev.moat.vault.keys;

import java.util.List;
import java.util.Map;

import dev.moat.vault.objects.AttributesPatch;

/**
 * What an update asks to change; anything not named stays as it is (Key Vault's PATCH). {@code nbf}/{@code exp} given
 * as JSON {@code null} clear them.
 *
 * @param keyOps the new {@code key_ops}, or null when not given
 * @param enabled null when not given
 * @param tags the new tags (replacing all), or null when not given
 */
public record KeyPatch(List<String> keyOps, Boolean enabled, boolean setsNotBefore, Long notBefore,
        boolean setsExpires, Long expires, Map<String, String> tags) implements AttributesPatch {
}
