package dev.moat.vault.certificates;

import java.util.Map;

import dev.moat.vault.objects.Named;

/**
 * One certificate version as Key Vault returns it: its X.509 DER, its key and secret ids (same name; the key has the
 * same version, the secret the version that holds this certificate's PFX or PEM), attributes, tags and the policy.
 *
 * @param notBefore the certificate's validity start ({@code nbf}), epoch seconds
 * @param expires its end ({@code exp})
 */
public record CertificateBundle(String name, String version, byte[] cer, String secretVersion, boolean enabled,
        long notBefore, long expires, long created, long updated, Map<String, String> tags, CertificatePolicy policy,
        long policyCreated, long policyUpdated) implements Named {

    public CertificateBundle {
        tags = Map.copyOf(tags);
    }
}
