package dev.moat.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Opens each service's OCI tarball as a registry or a container runtime would (index, manifest, config, layers) and
 * checks what a cluster relies on: a non-root numeric user, an entrypoint that runs the Quarkus application with a
 * java the image contains, the service's real ports exposed, and the application layer holding the very Quarkus
 * application the build made.
 */
class ImageTarballTest {

    static Path root;
    static String tag;
    /** Without a registry base, the image carries the runtime the build made (a registry base's is not unpacked). */
    static boolean builtRuntime;

    @BeforeAll
    static void locate() throws IOException {
        root = Path.of(System.getProperty("moat.image.root")).toRealPath();
        tag = System.getProperty("moat.image.tag");
        builtRuntime = System.getProperty("moat.image.base", "").isBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"policy-service", "vault-service", "audit-service"})
    void each_image_runs_its_quarkus_application_as_a_non_root_user_on_its_real_ports(String service) throws IOException {
        OciImage image = OciImage.open(ImageBuilder.tarball(root, service));
        JsonNode config = image.config.path("config");

        // non-root, numeric (Kubernetes' runAsNonRoot can only verify a numeric user)
        String user = config.path("User").asText();
        assertThat(user).matches("[0-9]+:[0-9]+");
        assertThat(Integer.parseInt(user.split(":")[0])).isNotZero();
        assertThat(Integer.parseInt(user.split(":")[1])).isNotZero();

        // the entrypoint runs the Quarkus application with a java that the image holds, executable
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
        assertThat(entrypoint).endsWith("-jar", "/deployments/quarkus-run.jar");
        if (builtRuntime) {
            TarEntry java = image.file(entrypoint.get(0));
            assertThat(java).as("%s in a layer", entrypoint.get(0)).isNotNull();
            assertThat(java.mode() & 0111).as("java is executable").isNotZero();
            assertThat(java.uid()).isZero();
            assertThat(image.file("/lib64/ld-linux-x86-64.so.2")).as("the dynamic loader java needs").isNotNull();
        }

        // exactly the ports the service's application.properties makes it listen on
        Set<String> exposed = new TreeSet<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
        Set<String> expected = new TreeSet<>();
        ServiceConfig.read(root.resolve(service)).ports().forEach(p -> expected.add(p.number() + "/tcp"));
        assertThat(exposed).isNotEmpty().isEqualTo(expected);

        // the application layer is the Quarkus application this build made, byte for byte
        Path app = root.resolve(service).resolve("target/quarkus-app");
        for (String file : List.of("quarkus-run.jar", "quarkus/quarkus-application.dat",
                "app/moat-" + service + "-" + tag + ".jar")) {
            TarEntry entry = image.file("/deployments/" + file);
            assertThat(entry).as("/deployments/%s in a layer", file).isNotNull();
            assertThat(entry.content()).isEqualTo(Files.readAllBytes(app.resolve(file)));
        }
        assertThat(image.paths).anyMatch(p -> p.startsWith("/deployments/lib/main/io.quarkus.quarkus-core-"));

        // it may write its data directory and nothing the runtime or application is made of
        assertThat(image.file("/var/lib/moat").uid()).isEqualTo(Integer.parseInt(user.split(":")[0]));
        assertThat(image.file("/deployments/quarkus-run.jar").uid()).isZero();
    }

    /** A file of the image's merged file system (later layers win), with its content when small. */
    record TarEntry(int mode, long uid, byte[] content) {
    }

    /** Just enough of the OCI image layout to find the config and walk the layers. */
    static final class OciImage {
        JsonNode config;
        final Map<String, TarEntry> files = new HashMap<>();
        final Set<String> paths = new TreeSet<>();

        static OciImage open(Path tarball) throws IOException {
            assertThat(tarball).as("built by the images profile").isRegularFile();
            OciLayout layout = OciLayout.extract(tarball);
            assertThat(layout.index().path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
            assertThat(layout.manifest().path("mediaType").asText())
                    .isEqualTo("application/vnd.oci.image.manifest.v1+json");
            OciImage image = new OciImage();
            image.config = layout.config();
            for (Path layer : layout.layers()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(layer));
                     TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                    for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                        String path = "/" + e.getName().replaceAll("^\\./|^/|/$", "");
                        byte[] content = e.isFile() && e.getSize() < 64 << 20 ? tar.readAllBytes() : null;
                        image.files.put(path, new TarEntry(e.getMode(), e.getLongUserId(), content));
                        image.paths.add(path);
                    }
                }
            }
            return image;
        }

        TarEntry file(String path) {
            return files.get(path);
        }
    }
}
