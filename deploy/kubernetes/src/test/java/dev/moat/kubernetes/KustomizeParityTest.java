package dev.moat.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@link Kustomize} renders what the real kustomize renders, for every kustomization of this directory and every
 * broken fixture: where {@code kubectl} is on the PATH (it has kustomize built in), the two outputs are the same
 * objects (compared without regard to the order of objects, map keys or list items). Skipped, and reported as
 * skipped, where no kubectl is installed.
 */
class KustomizeParityTest {

    static Stream<Path> kustomizations() throws IOException {
        Path kubernetes = TheServices.read().kubernetes();
        List<Path> dirs = new ArrayList<>(List.of(kubernetes.resolve("base")));
        for (String parent : List.of("overlays", "src/test/resources/broken")) {
            try (Stream<Path> children = Files.list(kubernetes.resolve(parent))) {
                children.sorted().forEach(dirs::add);
            }
        }
        return dirs.stream();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void renders_what_kubectl_kustomize_renders(Path dir) throws Exception {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        } catch (IOException noKubectl) {
            assumeThat(false).as("kubectl is not installed").isTrue();
            return;
        }
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor()).as(output).isZero();

        List<JsonNode> theirs = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = Kustomize.YAML.readerFor(JsonNode.class).readValues(output)) {
            docs.forEachRemaining(d -> theirs.add(canonical(d)));
        }
        List<JsonNode> ours = Kustomize.render(dir).stream().map(KustomizeParityTest::canonical).toList();
        assertThat(sorted(ours)).isEqualTo(sorted(theirs));
    }

    private static List<String> sorted(List<JsonNode> objects) {
        return objects.stream().map(JsonNode::toString).sorted().toList();
    }

    /** The same object with map keys and list items in a fixed order, numbers and booleans as kustomize writes them. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                fields.add(it.next());
            }
            fields.sort(Map.Entry.comparingByKey());
            fields.forEach(f -> out.set(f.getKey(), canonical(f.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            List<JsonNode> items = new ArrayList<>();
            node.forEach(i -> items.add(canonical(i)));
            items.sort(Comparator.comparing(JsonNode::toString));
            items.forEach(out::add);
            return out;
        }
        return node;
    }
}
