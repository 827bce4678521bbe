package dev.moat.system;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust in a local stack's generated CA ({@code vault/tls/ca.crt} under its data directory), so that the system
 * tests and the benchmark clients verify HTTPS as a user's client would.
 */
public final class StackTls {

    private StackTls() {
    }

    /** A trust store holding the CA certificate in {@code caPem}. */
    public static KeyStore trustStore(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            store.setCertificateEntry("moat-local-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        return store;
    }

    /** A TLS context that trusts the CA certificate in {@code caPem}, and nothing else. */
    public static SSLContext trusting(Path caPem) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore(caPem));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
