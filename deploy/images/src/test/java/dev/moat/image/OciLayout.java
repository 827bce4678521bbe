package dev.moat.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An image tarball in the OCI image layout, unpacked into a temporary directory: its index, its (first) manifest,
 * the image config, and the layers' blobs in order.
 */
record OciLayout(Path dir, JsonNode index, JsonNode manifest, JsonNode config) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static OciLayout extract(Path tarball) throws IOException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "oci");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    Path out = dir.resolve(e.getName());
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
        JsonNode manifest = JSON.readTree(blob(dir, index.path("manifests").get(0).path("digest").asText()).toFile());
        JsonNode config = JSON.readTree(blob(dir, manifest.path("config").path("digest").asText()).toFile());
        return new OciLayout(dir, index, manifest, config);
    }

    /** The layers' blobs (gzipped tar archives), bottom first. */
    List<Path> layers() {
        List<Path> layers = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layers.add(blob(dir, layer.path("digest").asText())));
        return layers;
    }

    private static Path blob(Path dir, String digest) {
        return dir.resolve("blobs").resolve(digest.replace(':', '/'));
    }
}
