package dev.moat.vault.sdk;

import static dev.moat.vault.testing.SdkClients.CLIENT_OID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.SyncPoller;
import com.azure.identity.ClientSecretCredential;
import com.azure.security.keyvault.certificates.CertificateClient;
import com.azure.security.keyvault.certificates.CertificateClientBuilder;
import com.azure.security.keyvault.certificates.models.AdministratorContact;
import com.azure.security.keyvault.certificates.models.CertificateContact;
import com.azure.security.keyvault.certificates.models.CertificateContentType;
import com.azure.security.keyvault.certificates.models.CertificateIssuer;
import com.azure.security.keyvault.certificates.models.CertificateKeyCurveName;
import com.azure.security.keyvault.certificates.models.CertificateKeyType;
import com.azure.security.keyvault.certificates.models.CertificateOperation;
import com.azure.security.keyvault.certificates.models.CertificatePolicy;
import com.azure.security.keyvault.certificates.models.CertificateProperties;
import com.azure.security.keyvault.certificates.models.DeletedCertificate;
import com.azure.security.keyvault.certificates.models.ImportCertificateOptions;
import com.azure.security.keyvault.certificates.models.IssuerProperties;
import com.azure.security.keyvault.certificates.models.KeyVaultCertificate;
import com.azure.security.keyvault.certificates.models.KeyVaultCertificateWithPolicy;
import com.azure.security.keyvault.certificates.models.SubjectAlternativeNames;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;

import dev.moat.vault.testing.PolicyServiceDouble;
import dev.moat.vault.testing.SdkClients;
import dev.moat.vault.testing.TrustsLocalCa;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The unmodified {@code CertificateClient} 4.8.5 against the running service (issue 6, "Done when" 1): create with a
 * policy through the pending operation, get, versions, policy, update, import of PFX and PEM, delete, recover, purge,
 * backup and restore, contacts and issuers; and each certificate's key and secret, read with the unmodified {@code KeyClient} and
 * {@code SecretClient}, are what Key Vault gives (the key signs for the certificate, the secret is its PFX).
 */
@QuarkusTest
class CertificatesSdkTest implements TrustsLocalCa {

    private static final String VAULT = "sdkcerts";

    private static HttpClient http;
    private static ClientSecretCredential credential;

    @BeforeEach
    void vaultWhereTheClientHoldsCertificateKeyAndSecretPermissions() throws Exception {
        PolicyServiceDouble.reset();
        Vaults.put(VAULT, Vaults.body(Vaults.policy(CLIENT_OID, "certificates", "all"),
                Vaults.policy(CLIENT_OID, "keys", "get", "sign", "verify"), Vaults.secretsPolicy(CLIENT_OID, "get")));
        if (credential == null) {
            http = SdkClients.trustingTheLocalCa();
            credential = SdkClients.credential(http);
        }
    }

    private static String vaultUrl() {
        return "https://" + VAULT + ".vault.localhost:" + RestAssured.port;
    }

    private static CertificateClient certificates() {
        return new CertificateClientBuilder().vaultUrl(vaultUrl()).credential(credential).httpClient(http)
                .buildClient();
    }

    private static KeyVaultCertificateWithPolicy create(CertificateClient client, String name, CertificatePolicy policy) {
        SyncPoller<CertificateOperation, KeyVaultCertificateWithPolicy> poller = client.beginCreateCertificate(name,
                policy, true, Map.of("env", "test"));
        poller.setPollInterval(Duration.ofMillis(100));
        assertThat(poller.waitForCompletion(Duration.ofSeconds(60)).getStatus())
                .isEqualTo(LongRunningOperationStatus.SUCCESSFULLY_COMPLETED);
        return poller.getFinalResult();
    }

    @Test
    void a_self_signed_certificate_from_a_policy_with_its_key_and_its_pfx_secret() throws Exception {
        CertificateClient client = certificates();
        CertificatePolicy policy = new CertificatePolicy("Self", "CN=app.contoso.example")
                .setSubjectAlternativeNames(new SubjectAlternativeNames().setDnsNames(List.of("app.contoso.example")))
                .setValidityInMonths(6).setKeyType(CertificateKeyType.RSA).setKeySize(2048)
                .setContentType(CertificateContentType.PKCS12);

        KeyVaultCertificateWithPolicy certificate = create(client, "sdk-self", policy);

        assertThat(certificate.getId()).startsWith(vaultUrl() + "/certificates/sdk-self/");
        assertThat(certificate.getKeyId()).isEqualTo(vaultUrl() + "/keys/sdk-self/"
                + certificate.getProperties().getVersion());
        assertThat(certificate.getSecretId()).startsWith(vaultUrl() + "/secrets/sdk-self/");
        assertThat(certificate.getPolicy().getSubject()).isEqualTo("CN=app.contoso.example");
        assertThat(certificate.getPolicy().getIssuerName()).isEqualTo("Self");
        assertThat(certificate.getProperties().getTags()).containsEntry("env", "test");
        X509Certificate x509 = x509(certificate.getCer());
        assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=app.contoso.example");
        assertThat(x509.getSubjectAlternativeNames()).anyMatch(san -> san.get(1).equals("app.contoso.example"));
        assertThat(certificate.getProperties().getX509Thumbprint())
                .isEqualTo(MessageDigest.getInstance("SHA-1").digest(certificate.getCer()));
        assertThat(certificate.getProperties().getExpiresOn().toInstant()).isEqualTo(x509.getNotAfter().toInstant());

        // its secret is the PFX (no password) holding the private key of the certificate
        KeyVaultSecret secret = new SecretClientBuilder().vaultUrl(vaultUrl()).credential(credential)
                .httpClient(http).buildClient().getSecret("sdk-self");
        assertThat(secret.getProperties().getContentType()).isEqualTo("application/x-pkcs12");
        KeyStore pfx = KeyStore.getInstance("PKCS12");
        pfx.load(new ByteArrayInputStream(Base64.getDecoder().decode(secret.getValue())), new char[0]);
        String alias = pfx.aliases().nextElement();
        assertThat(pfx.getCertificate(alias)).isEqualTo(x509);
        PrivateKey privateKey = (PrivateKey) pfx.getKey(alias, new char[0]);

        // its key is the same key pair: a signature of the key verifies with the certificate
        KeyVaultKey key = new KeyClientBuilder().vaultUrl(vaultUrl()).credential(credential).httpClient(http)
                .buildClient().getKey("sdk-self");
        assertThat(key.getKey().toRsa().getPublic()).isEqualTo(x509.getPublicKey());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("signed by the certificate".getBytes());
        byte[] signature = new CryptographyClientBuilder().keyIdentifier(key.getId()).credential(credential)
                .httpClient(http).buildClient().sign(SignatureAlgorithm.RS256, digest).getSignature();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(x509);
        verifier.update("signed by the certificate".getBytes());
        assertThat(verifier.verify(signature)).isTrue();
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        signer.update("pfx".getBytes());
        verifier.initVerify(x509);
        verifier.update("pfx".getBytes());
        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    @Test
    void versions_policy_update_delete_recover_purge_backup_and_restore() {
        CertificateClient client = certificates();
        CertificatePolicy ec = new CertificatePolicy("Self", "CN=ec.contoso.example")
                .setKeyType(CertificateKeyType.EC).setKeyCurveName(CertificateKeyCurveName.P_384)
                .setValidityInMonths(12);
        KeyVaultCertificateWithPolicy first = create(client, "sdk-lifecycle", ec);
        KeyVaultCertificateWithPolicy second = create(client, "sdk-lifecycle", ec);

        assertThat(client.getCertificate("sdk-lifecycle").getId()).isEqualTo(second.getId());
        KeyVaultCertificate old = client.getCertificateVersion("sdk-lifecycle", first.getProperties().getVersion());
        assertThat(old.getCer()).isEqualTo(first.getCer());
        assertThat(client.listPropertiesOfCertificateVersions("sdk-lifecycle").stream()
                .map(CertificateProperties::getVersion))
                .containsExactly(first.getProperties().getVersion(), second.getProperties().getVersion());
        assertThat(client.listPropertiesOfCertificates().stream().map(CertificateProperties::getName))
                .contains("sdk-lifecycle");

        CertificatePolicy policy = client.getCertificatePolicy("sdk-lifecycle");
        assertThat(policy.getKeyCurveName()).isEqualTo(CertificateKeyCurveName.P_384);
        policy.setValidityInMonths(24);
        assertThat(client.updateCertificatePolicy("sdk-lifecycle", policy).getValidityInMonths()).isEqualTo(24);
        assertThat(client.getCertificatePolicy("sdk-lifecycle").getValidityInMonths()).isEqualTo(24);

        CertificateProperties properties = client.getCertificate("sdk-lifecycle").getProperties();
        properties.setEnabled(false);
        properties.setTags(Map.of("owner", "team-a"));
        KeyVaultCertificate updated = client.updateCertificateProperties(properties);
        assertThat(updated.getProperties().isEnabled()).isFalse();
        assertThat(updated.getProperties().getTags()).containsEntry("owner", "team-a");

        byte[] backup = client.backupCertificate("sdk-lifecycle");

        DeletedCertificate deleted = client.beginDeleteCertificate("sdk-lifecycle").setPollInterval(
                Duration.ofMillis(50)).waitForCompletion(Duration.ofSeconds(30)).getValue();
        assertThat(deleted.getRecoveryId()).isEqualTo(vaultUrl() + "/deletedcertificates/sdk-lifecycle");
        assertThat(client.getDeletedCertificate("sdk-lifecycle").getName()).isEqualTo("sdk-lifecycle");
        assertThat(client.listDeletedCertificates().stream().map(DeletedCertificate::getName))
                .contains("sdk-lifecycle");
        assertThatThrownBy(() -> client.getCertificate("sdk-lifecycle"))
                .isInstanceOf(ResourceNotFoundException.class);

        KeyVaultCertificateWithPolicy recovered = client.beginRecoverDeletedCertificate("sdk-lifecycle")
                .setPollInterval(Duration.ofMillis(50)).waitForCompletion(Duration.ofSeconds(30)).getValue();
        assertThat(recovered.getId()).isEqualTo(second.getId());

        client.beginDeleteCertificate("sdk-lifecycle").setPollInterval(Duration.ofMillis(50))
                .waitForCompletion(Duration.ofSeconds(30));
        client.purgeDeletedCertificate("sdk-lifecycle");
        assertThatThrownBy(() -> client.getDeletedCertificate("sdk-lifecycle"))
                .isInstanceOf(ResourceNotFoundException.class);

        KeyVaultCertificateWithPolicy restored = client.restoreCertificateBackup(backup);
        assertThat(restored.getId()).isEqualTo(second.getId());
        assertThat(restored.getCer()).isEqualTo(second.getCer());
        assertThat(client.listPropertiesOfCertificateVersions("sdk-lifecycle").stream().count()).isEqualTo(2);
    }

    @Test
    void importing_a_pfx_and_a_pem() throws Exception {
        CertificateClient client = certificates();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X509Certificate external = externallyIssued(pair, "CN=imported.contoso.example");

        KeyStore pfx = KeyStore.getInstance("PKCS12");
        pfx.load(null, null);
        pfx.setKeyEntry("imported", pair.getPrivate(), "pfx-pass".toCharArray(), new X509Certificate[] {external});
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        pfx.store(bytes, "pfx-pass".toCharArray());
        KeyVaultCertificateWithPolicy fromPfx = client.importCertificate(new ImportCertificateOptions("sdk-pfx",
                bytes.toByteArray()).setPassword("pfx-pass").setTags(Map.of("source", "pfx")));
        assertThat(fromPfx.getCer()).isEqualTo(external.getEncoded());
        assertThat(fromPfx.getPolicy().getSubject()).isEqualTo("CN=imported.contoso.example");
        assertThat(fromPfx.getPolicy().getIssuerName()).isEqualTo("Unknown");
        assertThat(fromPfx.getProperties().getTags()).containsEntry("source", "pfx");

        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
            writer.writeObject(external);
        }
        KeyVaultCertificateWithPolicy fromPem = client.importCertificate(new ImportCertificateOptions("sdk-pem",
                pem.toString().getBytes(StandardCharsets.UTF_8)).setPolicy(new CertificatePolicy("Unknown",
                        "CN=imported.contoso.example").setContentType(CertificateContentType.PEM)));
        assertThat(fromPem.getCer()).isEqualTo(external.getEncoded());
        assertThat(fromPem.getPolicy().getContentType()).isEqualTo(CertificateContentType.PEM);
        KeyVaultSecret secret = new SecretClientBuilder().vaultUrl(vaultUrl()).credential(credential)
                .httpClient(http).buildClient().getSecret("sdk-pem");
        assertThat(secret.getProperties().getContentType()).isEqualTo("application/x-pem-file");
        assertThat(secret.getValue()).contains("-----BEGIN PRIVATE KEY-----", "-----BEGIN CERTIFICATE-----");
    }

    @Test
    void contacts_and_issuers_are_kept_as_key_vault_keeps_them() {
        CertificateClient client = certificates();
        List<CertificateContact> contacts = client.setContacts(List.of(new CertificateContact()
                .setEmail("pki@contoso.example").setName("PKI team").setPhone("+1 555 0100"))).stream().toList();
        assertThat(contacts).singleElement().satisfies(c -> assertThat(c.getEmail()).isEqualTo("pki@contoso.example"));
        assertThat(client.listContacts().stream().map(CertificateContact::getName)).containsExactly("PKI team");
        assertThat(client.deleteContacts().stream().map(CertificateContact::getEmail))
                .containsExactly("pki@contoso.example");
        assertThatThrownBy(() -> client.listContacts().stream().toList())
                .isInstanceOf(ResourceNotFoundException.class);

        CertificateIssuer created = client.createIssuer(new CertificateIssuer("sdk-issuer", "Test")
                .setAccountId("account-1").setPassword("never-stored").setOrganizationId("org-1")
                .setAdministratorContacts(List.of(new AdministratorContact().setFirstName("Ada")
                        .setLastName("Lovelace").setEmail("ada@contoso.example"))));
        assertThat(created.getProvider()).isEqualTo("Test");
        assertThat(created.getAccountId()).isEqualTo("account-1");
        assertThat(created.getPassword()).isNull();
        assertThat(client.getIssuer("sdk-issuer").getAdministratorContacts()).singleElement()
                .satisfies(a -> assertThat(a.getEmail()).isEqualTo("ada@contoso.example"));
        assertThat(client.updateIssuer(client.getIssuer("sdk-issuer").setEnabled(false)).isEnabled()).isFalse();
        assertThat(client.listPropertiesOfIssuers().stream().map(IssuerProperties::getName)).contains("sdk-issuer");
        assertThat(client.deleteIssuer("sdk-issuer").getName()).isEqualTo("sdk-issuer");
        assertThatThrownBy(() -> client.getIssuer("sdk-issuer")).isInstanceOf(ResourceNotFoundException.class);
    }

    private static X509Certificate externallyIssued(KeyPair pair, String subject) throws Exception {
        long now = System.currentTimeMillis();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name(subject),
                BigInteger.valueOf(now), new Date(now - 60_000), new Date(now + 86_400_000L * 90), new X500Name(subject),
                pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    }

    private static X509Certificate x509(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(der));
    }
}
