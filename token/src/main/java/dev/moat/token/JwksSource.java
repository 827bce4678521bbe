package dev.moat.token;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jose4j.http.Get;

/** Where the issuer's JWKS document comes from: a file, or an HTTPS URL. Read only when asked, never at start. */
public interface JwksSource {

    /** Largest JWKS document accepted, in characters. */
    int MAX_CHARS = 1 << 20;

    /** The JWKS document (JSON). */
    String fetch() throws IOException;

    /**
     * @param location an {@code https://} URL or a file path; any other URL scheme (plain {@code http://} above all:
     *        keys fetched without TLS could be anyone's) is refused
     * @param caPem for a URL: PEM file of the CA that signs the server's certificate, else the JVM's trust store
     */
    static JwksSource of(String location, Optional<Path> caPem, Duration timeout) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            return new Https(URI.create(location), caPem, timeout);
        }
        if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("'" + location + "' is neither an https:// URL nor a file path");
        }
        return new File(Path.of(location));
    }

    /** A JWKS file, read again at each fetch so that a replaced file is picked up on the next refresh. */
    record File(Path path) implements JwksSource {

        @Override
        public String fetch() throws IOException {
            if (Files.size(path) > MAX_CHARS) {
                throw new IOException(path + " is larger than " + MAX_CHARS + " bytes");
            }
            return Files.readString(path);
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * A JWKS URL. The CA file is read at each fetch too: in the local stack audit-service starts before vault-service
     * has generated its CA.
     */
    record Https(URI url, Optional<Path> caPem, Duration timeout) implements JwksSource {

        @Override
        public String fetch() throws IOException {
            Get get = new Get();
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            get.setConnectTimeout(millis);
            get.setReadTimeout(millis);
            get.setRetries(0);
            get.setResponseBodySizeLimit(MAX_CHARS);
            if (caPem.isPresent()) {
                get.setTrustedCertificates(certificates(caPem.get()));
            }
            return get.get(url.toString()).getBody();
        }

        private static List<X509Certificate> certificates(Path pem) throws IOException {
            try (InputStream in = Files.newInputStream(pem)) {
                List<X509Certificate> certificates = new ArrayList<>();
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    certificates.add((X509Certificate) c);
                }
                if (certificates.isEmpty()) {
                    throw new IOException(pem + " holds no certificate");
                }
                return certificates;
            } catch (CertificateException e) {
                throw new IOException(pem + " is not a PEM certificate file", e);
            }
        }

        @Override
        public String toString() {
            return url + caPem.map(ca -> " (CA " + ca + ")").orElse("");
        }
    }
}
