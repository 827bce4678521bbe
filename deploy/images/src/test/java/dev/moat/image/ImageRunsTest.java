package dev.moat.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each service starts from its image's own file system and answers its liveness check: the image's entrypoint, run
 * with the image's dynamic loader and libraries, finds every JDK module and native library it needs in the jlinked
 * runtime (a missing module shows here as a service that does not start). No container runtime is needed: the layers
 * are unpacked into a directory, and the loader is told to look there first. Kafka and policy-service are not running:
 * liveness does not need them.
 */
class ImageRunsTest {

    Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            policy-service | -Dquarkus.grpc.server.port=0
            vault-service  | -Dmoat.vault.crypto.generate-master-key=true -Dquarkus.grpc.clients.policy.port=1
            audit-service  | -Dmoat.audit.auth.enabled=false
            """)
    void each_service_starts_from_its_image_and_answers_its_liveness_check(String service, String options)
            throws Exception {
        assumeThat(System.getProperty("moat.image.base", "")).as("the runtime made by the build").isBlank();
        Path root = Path.of(System.getProperty("moat.image.root")).toRealPath();
        ServiceConfig config = ServiceConfig.read(root.resolve(service));
        Path rootfs = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "rootfs");
        List<String> entrypoint = unpack(ImageBuilder.tarball(root, service), rootfs);

        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "vault-data");
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(
                rootfs.resolve("lib64/ld-linux-x86-64.so.2").toString(),
                "--library-path", rootfs.resolve("lib/x86_64-linux-gnu") + ":" + rootfs.resolve("usr/lib/x86_64-linux-gnu"),
                rootfs + entrypoint.get(0)));
        command.addAll(entrypoint.subList(1, entrypoint.size() - 1)); // the JVM options, up to the jar
        boolean mainHttps = config.ports().stream().anyMatch(p -> p.name().equals("https"));
        command.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http." + (mainHttps ? "ssl-port=" : "port=") + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-Dmoat.data-dir=" + data, "-Dkafka.bootstrap.servers=127.0.0.1:1"));
        command.addAll(List.of(options.split(" ")));
        command.addAll(List.of("-jar", rootfs + entrypoint.get(entrypoint.size() - 1)));
        Path log = data.resolve(service + ".log");
        process = new ProcessBuilder(command).directory(rootfs.resolve("deployments").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        // health is on the management interface (plain HTTP) where the service enables it, else on the main port;
        // vault-service serves HTTPS with a local CA it makes in its data directory
        boolean https = config.healthScheme().equals("HTTPS");
        Path ca = data.resolve("vault/tls/ca.crt");
        String url = (https ? "https" : "http") + "://localhost:" + (config.managementEnabled() ? managementPort : port)
                + config.livenessPath();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .failFast("the service exited; see " + log, () -> !process.isAlive())
                .until(() -> (!https || Files.isRegularFile(ca)) && live(url, https ? ca : null) == 200);
        // the JVM and the C library mapped into the process are the image's, not the build machine's
        String maps = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "maps"));
        assertThat(maps).contains(rootfs.resolve("opt/java/jre/lib/server/libjvm.so").toString())
                .contains(rootfs.resolve("lib/x86_64-linux-gnu/libc.so.6").toString());
        assertThat(Files.readString(log)).doesNotContain("ClassNotFoundException", "NoClassDefFoundError",
                "UnsatisfiedLinkError");
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private static int live(String url, Path ca) {
        try {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
            if (ca != null) {
                builder.sslContext(trusting(ca));
            }
            return builder.build().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static SSLContext trusting(Path ca) throws Exception {
        try (InputStream in = Files.newInputStream(ca)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        }
    }

    /** Unpacks the image's layers, in order, into {@code rootfs}; returns its entrypoint. */
    private static List<String> unpack(Path tarball, Path rootfs) throws IOException {
        OciLayout layout = OciLayout.extract(tarball);
        for (Path layer : layout.layers()) {
            try (TarArchiveInputStream tar =
                    new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(layer)))) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    Path out = rootfs.resolve(e.getName().replaceAll("^/+", "")).normalize();
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (e.isFile()) {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(rwx(e.getMode())));
                    }
                }
            }
        }
        List<String> entrypoint = new ArrayList<>();
        layout.config().path("config").path("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
        return entrypoint;
    }

    private static String rwx(int mode) {
        StringBuilder s = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }
}
