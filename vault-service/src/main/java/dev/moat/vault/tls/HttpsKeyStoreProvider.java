package dev.moat.vault.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.moat.vault.config.VaultConfig;
import io.quarkus.tls.runtime.KeyStoreAndKeyCertOptions;
import io.quarkus.tls.runtime.KeyStoreProvider;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The certificate of the HTTPS server, supplied to the Quarkus TLS registry as the key store of the TLS
 * configuration {@value #NAME} ({@code quarkus.http.tls-configuration-name}). The registry asks for it while the
 * application starts, before the HTTP server opens its port, so files generated here are in place in time; this is
 * why no startup observer or pre-start script is needed.
 *
 * <p>With {@code moat.vault.tls.cert-file} and {@code key-file} set, those files are served. Otherwise a local CA and
 * a server certificate for {@code localhost}, {@code *.<dns-suffix>}, {@code 127.0.0.1} and {@code ::1} are generated
 * under {@code ${moat.data-dir}/vault/tls/} on first start and reused afterwards.
 */
@ApplicationScoped
@Identifier(HttpsKeyStoreProvider.NAME)
public class HttpsKeyStoreProvider implements KeyStoreProvider {

    public static final String NAME = "moat-https";
    private static final Logger LOG = Logger.getLogger(HttpsKeyStoreProvider.class);

    private final VaultConfig config;
    private final Path tlsDir;

    public HttpsKeyStoreProvider(VaultConfig config, @ConfigProperty(name = "moat.data-dir") String dataDir) {
        this.config = config;
        this.tlsDir = Path.of(dataDir, "vault", "tls");
    }

    /** Where the generated CA certificate is (whether or not it was used). */
    public static Path caCertificate(String dataDir) {
        return Path.of(dataDir, "vault", "tls", LocalCertificates.CA_CERT);
    }

    @Override
    public KeyStoreAndKeyCertOptions getKeyStore(Vertx vertx) {
        var certFile = config.tls().certFile();
        var keyFile = config.tls().keyFile();
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalStateException(
                    "moat.vault.tls.cert-file and moat.vault.tls.key-file must be set together, or neither");
        }
        PemKeyCertOptions options;
        if (certFile.isPresent()) {
            options = new PemKeyCertOptions().setCertPath(certFile.get()).setKeyPath(keyFile.get());
            LOG.infof("HTTPS serves the configured certificate %s", certFile.get());
        } else {
            LocalCertificates local = new LocalCertificates(tlsDir);
            boolean generated = local.ensure(dnsNames(), List.of("127.0.0.1", "::1"));
            LOG.infof("HTTPS serves a certificate of the local Moat CA. %s CA certificate: %s (trust it in clients: "
                    + "see vault-service/README.md)", generated ? "Generated the" : "Using the",
                    local.caCert().toAbsolutePath());
            options = new PemKeyCertOptions().setCertPath(local.serverCert().toString())
                    .setKeyPath(local.serverKey().toString());
        }
        try {
            KeyStore keyStore = options.loadKeyStore(vertx);
            return new KeyStoreAndKeyCertOptions(keyStore, options);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the HTTPS certificate: " + e.getMessage(), e);
        }
    }

    private List<String> dnsNames() {
        List<String> names = new ArrayList<>();
        for (String host : config.managementHosts()) {
            if (!host.isBlank() && !Character.isDigit(host.charAt(0)) && !host.contains(":")) {
                names.add(host);
            }
        }
        names.add("*." + config.dnsSuffix());
        names.add(config.dnsSuffix());
        return names;
    }
}
