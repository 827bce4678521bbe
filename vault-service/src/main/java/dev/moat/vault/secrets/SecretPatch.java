package dev.moat.vault.secrets;

import java.util.Map;

import dev.moat.vault.objects.AttributesPatch;

/**
 * What an update asks to change; anything not named stays as it is (Key Vault's PATCH). A field given as JSON
 * {@code null} clears it.
 *
 * @param setsContentType whether {@code contentType} was given
 * @param enabled null when not given
 * @param setsNotBefore whether {@code attributes.nbf} was given
 * @param setsExpires whether {@code attributes.exp} was given
 * @param tags the new tags (replacing all), or null when not given
 */
public record SecretPatch(boolean setsContentType, String contentType, Boolean enabled, boolean setsNotBefore,
        Long notBefore, boolean setsExpires, Long expires, Map<String, String> tags) implements AttributesPatch {
}
