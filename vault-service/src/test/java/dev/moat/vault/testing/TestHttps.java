package dev.moat.vault.testing;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.moat.vault.tls.LocalCertificates;
import io.restassured.RestAssured;
import io.restassured.config.SSLConfig;

/**
 * rest-assured over HTTPS, trusting the local CA that the service generated on start (no relaxed validation: the
 * certificate chain and host name are checked as a client would).
 */
public final class TestHttps {

    /** The service's data directory in tests (test application.properties). */
    public static final Path DATA_DIR = Path.of("target", "test-data");

    private TestHttps() {
    }

    public static Path caCertificate() {
        return DATA_DIR.resolve("vault").resolve("tls").resolve(LocalCertificates.CA_CERT);
    }

    public static KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            X509Certificate ca = LocalCertificates.readCertificates(caCertificate()).get(0);
            store.setCertificateEntry("moat-local-ca", ca);
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the local CA " + caCertificate(), e);
        }
    }

    /** A TLS context ({@code "TLS"}, {@code "TLSv1.2"}...) that trusts the local CA only, for clients of our own. */
    public static SSLContext sslContext(String protocol) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void trustLocalCa() {
        RestAssured.config = RestAssured.config().sslConfig(SSLConfig.sslConfig().trustStore(trustStore()));
    }
}
