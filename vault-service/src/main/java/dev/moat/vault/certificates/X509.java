package dev.moat.vault.certificates;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.moat.vault.keys.KeyMaterial;
import dev.moat.vault.objects.VaultObjectException;

/**
 * X.509 for certificates: a self-signed certificate from a policy, and the certificate's secret as Key Vault stores
 * it, a PFX (PKCS#12 without a password, base64 in the secret) or PEM (the PKCS#8 private key, then the chain).
 */
final class X509 {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A private key with its certificate chain, leaf first. */
    record Parsed(PrivateKey key, List<X509Certificate> chain) {

        @Override
        public String toString() {
            return "Parsed[" + chain.get(0).getSubjectX500Principal() + ", private key redacted]";
        }
    }

    private X509() {
    }

    static X509Certificate selfSigned(KeyMaterial key, PrivateKey privateKey, CertificatePolicy policy) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        org.bouncycastle.asn1.x500.X500Name subject = CertificatePolicy.x500(policy.subject());
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(128, RANDOM).abs().add(BigInteger.ONE), Date.from(now.minusMinutes(5).toInstant()),
                    Date.from(now.plusMonths(policy.validityMonths()).toInstant()), subject, key.publicKey());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            List<String> usages = policy.keyUsage().isEmpty()
                    ? (key.isRsa() ? List.of("digitalSignature", "keyEncipherment") : List.of("digitalSignature"))
                    : policy.keyUsage();
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsageBits(usages)));
            List<String> ekus = policy.ekus().isEmpty() ? List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")
                    : policy.ekus();
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ekus.stream()
                    .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid))).toArray(KeyPurposeId[]::new)));
            List<GeneralName> names = new ArrayList<>();
            policy.dnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            policy.emails().forEach(n -> names.add(new GeneralName(GeneralName.rfc822Name, n)));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            String algorithm = key.isRsa() ? "SHA256withRSA" : switch (key.curve()) {
                case P_256 -> "SHA256withECDSA";
                case P_384 -> "SHA384withECDSA";
                case P_521 -> "SHA512withECDSA";
            };
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(algorithm).build(privateKey)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException | IllegalArgumentException e) {
            throw VaultObjectException.badParameter("The policy does not make a valid certificate: " + e.getMessage());
        }
    }

    private static int keyUsageBits(List<String> usages) {
        int bits = 0;
        for (String usage : usages) {
            bits |= switch (usage) {
                case "digitalSignature" -> KeyUsage.digitalSignature;
                case "nonRepudiation" -> KeyUsage.nonRepudiation;
                case "keyEncipherment" -> KeyUsage.keyEncipherment;
                case "dataEncipherment" -> KeyUsage.dataEncipherment;
                case "keyAgreement" -> KeyUsage.keyAgreement;
                case "keyCertSign" -> KeyUsage.keyCertSign;
                case "cRLSign" -> KeyUsage.cRLSign;
                case "encipherOnly" -> KeyUsage.encipherOnly;
                default -> KeyUsage.decipherOnly;
            };
        }
        return bits;
    }

    /** The secret's value: base64 of a password-less PFX, or PEM text. */
    static String secretValue(String contentType, String alias, PrivateKey key, List<X509Certificate> chain) {
        try {
            if (CertificatePolicy.PEM.equals(contentType)) {
                StringWriter out = new StringWriter();
                try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                    pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
                    for (X509Certificate certificate : chain) {
                        pem.writeObject(certificate);
                    }
                }
                return out.toString();
            }
            KeyStore pfx = KeyStore.getInstance("PKCS12");
            pfx.load(null, null);
            pfx.setKeyEntry(alias, key, new char[0], chain.toArray(X509Certificate[]::new));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            pfx.store(bytes, new char[0]);
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the certificate's secret: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Reads an imported certificate: PEM text (as such or base64-encoded), or a base64 PFX opened with
     * {@code password}.
     *
     * @throws VaultObjectException 400 saying what is wrong with the file (never its content)
     */
    static Parsed parse(String value, String password) {
        if (value == null || value.isBlank()) {
            throw VaultObjectException.badParameter("The request has no 'value': importing needs the certificate as a "
                    + "base64 PFX or PEM.");
        }
        String text = value.strip();
        if (!text.startsWith("-----BEGIN")) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw VaultObjectException.badParameter("'value' is neither PEM nor base64: import a base64 PFX or PEM.");
            }
            String decoded = new String(bytes, StandardCharsets.US_ASCII).strip();
            if (!decoded.startsWith("-----BEGIN")) {
                return pfx(bytes, password);
            }
            text = decoded;
        }
        return pem(text);
    }

    private static Parsed pfx(byte[] bytes, String password) {
        KeyStore store;
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), secret);
        } catch (IOException | GeneralSecurityException e) {
            throw VaultObjectException.badParameter("'value' is not a PFX (PKCS#12) that opens with the given password "
                    + "('pwd'): " + e.getClass().getSimpleName() + ".");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) store.getKey(alias, secret);
                    List<X509Certificate> chain = new ArrayList<>();
                    for (java.security.cert.Certificate c : store.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return new Parsed(key, chain);
                }
            }
        } catch (GeneralSecurityException e) {
            throw VaultObjectException.badParameter("The PFX's private key does not open: " + e.getClass().getSimpleName()
                    + ".");
        }
        throw VaultObjectException.badParameter("The PFX holds no private key: a certificate is imported with its key.");
    }

    private static Parsed pem(String text) {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                } else if (item instanceof PEMKeyPair pair) {
                    key = converter.getKeyPair(pair).getPrivate();
                } else if (item instanceof X509CertificateHolder holder) {
                    chain.add(certificate(holder.getEncoded()));
                }
            }
        } catch (IOException e) {
            throw VaultObjectException.badParameter("'value' is not readable PEM: " + e.getClass().getSimpleName() + ".");
        }
        if (key == null) {
            throw VaultObjectException.badParameter("The PEM holds no unencrypted private key (-----BEGIN PRIVATE KEY-----): "
                    + "a certificate is imported with its key.");
        }
        if (chain.isEmpty()) {
            throw VaultObjectException.badParameter("The PEM holds no certificate (-----BEGIN CERTIFICATE-----).");
        }
        return new Parsed(key, chain);
    }

    static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored certificate does not decode", e);
        }
    }

    static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("certificate does not encode", e);
        }
    }

    /**
     * The policy of an imported certificate: what the request gives, else what the file says (subject, names,
     * validity, key), with issuer {@code Unknown}.
     */
    static CertificatePolicy policyOf(X509Certificate leaf, KeyMaterial key, CertificatePolicy given,
            boolean pem) {
        long months = Math.max(1, ChronoUnit.MONTHS.between(leaf.getNotBefore().toInstant().atZone(
                java.time.ZoneOffset.UTC), leaf.getNotAfter().toInstant().atZone(java.time.ZoneOffset.UTC)));
        List<String> dnsNames = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        dnsNames.add(String.valueOf(san.get(1)));
                    } else if (Integer.valueOf(1).equals(san.get(0))) {
                        emails.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw VaultObjectException.badParameter("The certificate's subject alternative names do not parse.");
        }
        String contentType = given != null && given.contentType() != null ? given.contentType()
                : pem ? CertificatePolicy.PEM : CertificatePolicy.PKCS12;
        return new CertificatePolicy(key.kty(), key.isRsa() ? key.rsaBits() : null,
                key.isRsa() ? null : key.curve().jwkName(), given == null || given.exportable(),
                given != null && given.reuseKey(), contentType, leaf.getSubjectX500Principal().getName(),
                dnsNames, emails, List.of(), given == null ? List.of() : given.ekus(),
                given == null ? List.of() : given.keyUsage(), (int) Math.min(months, 1200),
                given == null || given.issuerName() == null ? "Unknown" : given.issuerName(),
                given == null ? null : given.certificateType(), given == null ? List.of() : given.lifetimeActions(),
                given == null || given.enabled());
    }

    static boolean isPem(String value) {
        String text = value.strip();
        if (text.startsWith("-----BEGIN")) {
            return true;
        }
        try {
            return new String(java.util.Base64.getDecoder().decode(text.replaceAll("\\s", "")),
                    java.nio.charset.StandardCharsets.US_ASCII)
                    .strip().startsWith("-----BEGIN");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
