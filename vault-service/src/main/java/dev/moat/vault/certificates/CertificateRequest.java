package dev.moat.vault.certificates;

import java.util.Map;

/**
 * What a create or an import asks for.
 *
 * @param policy for a create, required; for an import, null to take it from the file
 * @param value for an import, the base64 PFX or the PEM; null for a create
 * @param password for an import of a PFX, its password; null for none
 * @param enabled null when not given (enabled)
 * @param tags empty when not given
 */
public record CertificateRequest(CertificatePolicy policy, String value, String password, Boolean enabled,
        Map<String, String> tags) {

    public CertificateRequest {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    @Override
    public String toString() {
        return "CertificateRequest[policy=" + policy + ", tags=" + tags + ", file and password redacted]";
    }
}
