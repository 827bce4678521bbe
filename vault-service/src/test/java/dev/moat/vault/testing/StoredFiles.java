package dev.moat.vault.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the service keeps on disk, read byte by byte: for tests that no secret or key material is stored in clear. */
public final class StoredFiles {

    private StoredFiles() {
    }

    /** Every file under the service's data directory (the database, the decision spool, keys, certificates). */
    public static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.walk(TestHttps.DATA_DIR)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** The files under the data directory that hold any of these byte sequences, each file once. */
    public static List<Path> containing(byte[]... needles) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path file : all()) {
            byte[] content = Files.readAllBytes(file);
            for (byte[] needle : needles) {
                if (indexOf(content, needle) >= 0) {
                    found.add(file);
                    break;
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
