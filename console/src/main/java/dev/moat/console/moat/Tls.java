package dev.moat.console.moat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS for the console's calls: the JDK's trusted CAs plus, optionally, one PEM CA (the local stack's). */
public final class Tls {

    static {
        // Vault hosts are chosen by the Host header (https://<vault>.vault.localhost); java.net.http lets a caller set
        // it only when allowed before its first use, and every HttpClient of the console is built after this class
        // gave it its TLS context.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private Tls() {
    }

    public static SSLContext context(Optional<String> caFile) {
        try {
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            List<X509Certificate> accepted = new ArrayList<>();
            for (TrustManager tm : defaults.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    accepted.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : accepted) {
                store.setCertificateEntry("jdk-" + i++, ca);
            }
            if (caFile.isPresent()) {
                try (InputStream in = Files.newInputStream(Path.of(caFile.get()))) {
                    for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("configured-" + i++, ca);
                    }
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA file " + caFile.orElse(""), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS trust", e);
        }
    }
}
