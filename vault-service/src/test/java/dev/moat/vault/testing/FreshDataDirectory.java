package dev.moat.vault.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Empties the service's data directory ({@code target/test-data}) before the service starts, so that each run begins
 * with a new H2 file database, master key, event spool and local CA, exactly as a first start would, and the tests can
 * inspect what the service wrote there.
 */
public class FreshDataDirectory implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        delete(TestHttps.DATA_DIR);
        return Map.of();
    }

    @Override
    public void stop() {
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir, e);
        }
    }
}
