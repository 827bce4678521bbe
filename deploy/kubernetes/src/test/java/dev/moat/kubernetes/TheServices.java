package dev.moat.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What the manifests are checked against, read once from the repository: the services, deploy/moat, the README. */
record TheServices(Path root, String version, Map<String, ServiceFacts> facts, String readme) {

    static TheServices read() {
        try {
            Path root = Path.of(System.getProperty("moat.root")).toRealPath();
            Map<String, Set<String>> stack = StackSettings.read(root.resolve("deploy/moat"));
            Map<String, ServiceFacts> facts = new TreeMap<>();
            for (String service : StackSettings.SERVICES) {
                facts.put(service, ServiceFacts.read(root, service, stack.getOrDefault(service, Set.of())));
            }
            return new TheServices(root, System.getProperty("moat.version"), facts,
                    Files.readString(root.resolve("deploy/kubernetes/README.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path kubernetes() {
        return root.resolve("deploy/kubernetes");
    }
}
