package dev.moat.vault.certificates;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;

import dev.moat.vault.keys.Curve;
import dev.moat.vault.keys.KeyRules;
import dev.moat.vault.objects.VaultObjectException;

/**
 * A certificate policy: how its key is made, how its secret is encoded, what its X.509 certificate says and who issues
 * it. Moat issues self-signed certificates ({@code issuer.name} {@code Self}); imported certificates have issuer
 * {@code Unknown}, as in Key Vault.
 *
 * @param kty {@code RSA} or {@code EC}
 * @param keySize RSA bits; null for EC
 * @param crv EC curve; null for RSA
 * @param contentType of the secret: {@code application/x-pkcs12} or {@code application/x-pem-file}
 * @param keyUsage X.509 key usages in Key Vault's spelling ({@code digitalSignature}, …)
 * @param ekus extended key usage OIDs
 * @param lifetimeActions kept and returned as given (Moat does not act on them)
 * @param enabled the policy's {@code attributes.enabled}
 */
public record CertificatePolicy(String kty, Integer keySize, String crv, boolean exportable, boolean reuseKey,
        String contentType, String subject, List<String> dnsNames, List<String> emails, List<String> upns,
        List<String> ekus, List<String> keyUsage, int validityMonths, String issuerName, String certificateType,
        List<Map<String, Object>> lifetimeActions, boolean enabled) {

    public static final String PKCS12 = "application/x-pkcs12";
    public static final String PEM = "application/x-pem-file";
    static final Set<String> KEY_USAGES = Set.of("digitalSignature", "nonRepudiation", "keyEncipherment",
            "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly");

    public CertificatePolicy {
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
        emails = emails == null ? List.of() : List.copyOf(emails);
        upns = upns == null ? List.of() : List.copyOf(upns);
        ekus = ekus == null ? List.of() : List.copyOf(ekus);
        keyUsage = keyUsage == null ? List.of() : List.copyOf(keyUsage);
        lifetimeActions = lifetimeActions == null ? List.of() : List.copyOf(lifetimeActions);
    }

    /**
     * Checks what a certificate made from this policy needs.
     *
     * @param forCreate a create needs a subject and issuer {@code Self}; an import takes them from the file
     * @throws VaultObjectException 400 naming the field and the rule
     */
    void validate(boolean forCreate) {
        switch (kty) {
            case "RSA" -> KeyRules.rsaSize(keySize);
            case "EC" -> Curve.of(crv);
            case "RSA-HSM", "EC-HSM" -> throw VaultObjectException.badParameter("policy.key_props.kty '" + kty + "' is not "
                    + "supported: Moat holds software-protected keys only (RSA or EC).");
            default -> throw VaultObjectException.badParameter("policy.key_props.kty '" + kty + "' is not a certificate key "
                    + "type: use RSA or EC.");
        }
        if (!PKCS12.equals(contentType) && !PEM.equals(contentType)) {
            throw VaultObjectException.badParameter("policy.secret_props.contentType '" + contentType + "' is not "
                    + "supported: use " + PKCS12 + " or " + PEM + ".");
        }
        for (String usage : keyUsage) {
            if (!KEY_USAGES.contains(usage)) {
                throw VaultObjectException.badParameter("policy.x509_props.key_usage value '" + usage + "' is not a key "
                        + "usage: expected any of " + String.join(", ", KEY_USAGES.stream().sorted().toList()) + ".");
            }
        }
        for (String eku : ekus) {
            try {
                new ASN1ObjectIdentifier(eku);
            } catch (IllegalArgumentException e) {
                throw VaultObjectException.badParameter("policy.x509_props.ekus value '" + eku + "' is not an object "
                        + "identifier (for example 1.3.6.1.5.5.7.3.1).");
            }
        }
        if (validityMonths < 1 || validityMonths > 1200) {
            throw VaultObjectException.badParameter("policy.x509_props.validity_months " + validityMonths + " is out of "
                    + "range: a certificate is valid for 1 to 1200 months.");
        }
        if (!forCreate) {
            return;
        }
        if (issuerName == null) {
            throw VaultObjectException.badParameter("policy.issuer.name is missing: Moat issues self-signed certificates, "
                    + "so a create names issuer Self.");
        }
        if (!"Self".equalsIgnoreCase(issuerName)) {
            throw VaultObjectException.badParameter("policy.issuer.name '" + issuerName + "' is not supported: Moat issues "
                    + "self-signed certificates (issuer Self); import certificates from other issuers.");
        }
        if (subject == null || subject.isBlank()) {
            throw VaultObjectException.badParameter("policy.x509_props.subject is missing: a certificate needs a subject "
                    + "such as CN=example.com.");
        }
        x500(subject);
    }

    static X500Name x500(String subject) {
        try {
            return new X500Name(subject);
        } catch (IllegalArgumentException e) {
            throw VaultObjectException.badParameter("policy.x509_props.subject '" + subject + "' is not an X.500 name (for "
                    + "example CN=example.com, O=Contoso).");
        }
    }
}
