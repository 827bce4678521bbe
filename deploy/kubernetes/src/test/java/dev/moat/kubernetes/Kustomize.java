package dev.moat.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the part of kustomize these manifests use, so
 * that the build can check them on a machine with no kubectl (docs/adr/0016-kubernetes-manifests.md):
 * <ul>
 * <li>{@code resources}: YAML files (several documents each) and directories holding a {@code kustomization.yaml},
 * rendered first, in order;</li>
 * <li>{@code patches} with a {@code path} only: a strategic merge patch of the object with the patch's kind and name.
 * The merge rule: maps merge key by key; a {@code null} removes the key; a list of maps merges item by item on
 * Kubernetes' merge key where every item has it ({@code mountPath} for volumeMounts, {@code containerPort} for a
 * container's ports, {@code port} for a Service's, {@code name} for containers, env, volumes and the rest), new
 * items appended; any other list is replaced whole.</li>
 * </ul>
 * Any other field of a kustomization is refused, so that a manifest never relies on a feature this renderer would
 * silently skip. {@code KustomizeParityTest} compares the result with the real kustomize where one is installed.
 */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches");

    private Kustomize() {
    }

    /** The objects of the kustomization in {@code dir}, patched, in kustomize's order of resources. */
    static List<ObjectNode> render(Path dir) {
        JsonNode kustomization = read(dir.resolve("kustomization.yaml")).get(0);
        for (Iterator<String> names = kustomization.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(dir + "/kustomization.yaml: '" + field
                        + "' is not supported by this renderer (only " + SUPPORTED + ")");
            }
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                read(path).forEach(doc -> objects.add((ObjectNode) doc));
            }
        }
        for (JsonNode patchRef : kustomization.path("patches")) {
            if (patchRef.size() != 1 || !patchRef.has("path")) {
                throw new IllegalArgumentException(dir + ": a patch must name only its path: " + patchRef);
            }
            for (JsonNode patch : read(dir.resolve(patchRef.get("path").asText()))) {
                ObjectNode target = objects.stream()
                        .filter(o -> o.path("kind").equals(patch.path("kind"))
                                && o.path("metadata").path("name").equals(patch.path("metadata").path("name")))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(dir + ": patch " + patchRef.get("path")
                                + " matches no " + patch.path("kind").asText() + " "
                                + patch.path("metadata").path("name").asText()));
                merge(target, (ObjectNode) patch);
            }
        }
        return objects;
    }

    /** Strategic merge of {@code patch} into {@code target} (the rule in the class comment). */
    static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) value);
            } else if (value.isArray() && existing != null && existing.isArray()
                    && mergeKey(field.getKey(), (ArrayNode) existing, (ArrayNode) value) != null) {
                mergeByKey(mergeKey(field.getKey(), (ArrayNode) existing, (ArrayNode) value),
                        (ArrayNode) existing, (ArrayNode) value);
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
    }

    private static void mergeByKey(String key, ArrayNode target, ArrayNode patch) {
        for (JsonNode item : patch) {
            ObjectNode match = null;
            for (JsonNode candidate : target) {
                if (candidate.get(key).equals(item.get(key))) {
                    match = (ObjectNode) candidate;
                }
            }
            if (match == null) {
                target.add(item.deepCopy());
            } else {
                merge(match, (ObjectNode) item);
            }
        }
    }

    /** Kubernetes' merge key of a list field, or null when the list is replaced whole. */
    private static String mergeKey(String field, ArrayNode target, ArrayNode patch) {
        String key;
        if (field.equals("volumeMounts")) {
            key = "mountPath";
        } else if (field.equals("ports")) {
            key = target.size() > 0 && target.get(0).has("containerPort") ? "containerPort" : "port";
        } else {
            key = "name";
        }
        for (ArrayNode list : List.of(target, patch)) {
            for (JsonNode item : list) {
                if (!item.isObject() || !item.has(key)) {
                    return null;
                }
            }
        }
        return key;
    }

    static List<JsonNode> read(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
