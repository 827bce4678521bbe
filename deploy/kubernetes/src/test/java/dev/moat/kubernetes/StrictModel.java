package dev.moat.kubernetes;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Turns rendered objects into fabric8's typed Kubernetes model and refuses any field the model does not know.
 * fabric8 is lenient by design (an unknown field lands in the object's {@code additionalProperties}, as the API
 * server would prune it), so strictness is a walk of the typed object: any non-empty {@code additionalProperties}
 * anywhere is an unknown field, reported with its path. Kinds the model does not know (Strimzi's) stay generic.
 */
final class StrictModel {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StrictModel() {
    }

    static HasMetadata parse(ObjectNode object) {
        HasMetadata typed = SERIALIZATION.convertValue(object, HasMetadata.class);
        if (typed == null) {
            throw new IllegalArgumentException("not a Kubernetes object: " + object);
        }
        if (!(typed instanceof GenericKubernetesResource)) {
            List<String> unknown = new ArrayList<>();
            walk(typed, typed.getKind() + "/" + typed.getMetadata().getName(), unknown);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("unknown fields: " + unknown);
            }
        }
        return typed;
    }

    /** Whether the kind is one fabric8's model types (and so one the strict walk covers). */
    static boolean isTyped(HasMetadata object) {
        return !(object instanceof GenericKubernetesResource);
    }

    private static void walk(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return; // strings, numbers, enums
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else {
                walk(value, path + "." + field, unknown);
            }
        }
    }
}
