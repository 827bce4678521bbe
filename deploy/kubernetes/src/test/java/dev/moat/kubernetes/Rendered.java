package dev.moat.kubernetes;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** One rendered kustomization, every object typed by {@link StrictModel}, with look-ups the checks share. */
record Rendered(Path dir, List<HasMetadata> objects) {

    static Rendered of(Path dir) {
        List<HasMetadata> objects = new ArrayList<>();
        for (ObjectNode object : Kustomize.render(dir)) {
            objects.add(StrictModel.parse(object));
        }
        return new Rendered(dir, objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
        return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    List<HasMetadata> ofKind(String kind) {
        return objects.stream().filter(o -> o.getKind().equals(kind)).toList();
    }

    /** The pod template of a service's workload: its Deployment or StatefulSet. */
    Optional<PodTemplateSpec> podTemplate(String service) {
        return find(Deployment.class, service).map(d -> d.getSpec().getTemplate())
                .or(() -> find(StatefulSet.class, service).map(s -> s.getSpec().getTemplate()));
    }

    static Container container(PodTemplateSpec template, String name) {
        return template.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Optional<Volume> volume(PodTemplateSpec template, String name) {
        return template.getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst();
    }

    static Optional<VolumeMount> mountAt(Container container, String path) {
        return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst();
    }

    /** The properties of the ConfigMap mounted at {@code dir}, file {@code application.properties}. */
    Properties mountedProperties(PodTemplateSpec template, Container container, String dir) {
        VolumeMount mount = mountAt(container, dir).orElseThrow(() -> new AssertionError("nothing mounted at " + dir));
        Volume volume = volume(template, mount.getName()).orElseThrow();
        String configMap = volume.getConfigMap().getName();
        String text = find(ConfigMap.class, configMap).orElseThrow(() -> new AssertionError("no ConfigMap " + configMap))
                .getData().get("application.properties");
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Every environment variable the container gets: its own and those of the ConfigMaps it takes whole. */
    Map<String, String> environmentNames(Container container) {
        Map<String, String> names = new java.util.TreeMap<>();
        container.getEnv().forEach(e -> names.put(e.getName(), e.getValue() == null ? "<from " + describe(e) + ">" : e.getValue()));
        container.getEnvFrom().forEach(source -> {
            if (source.getConfigMapRef() != null) {
                find(ConfigMap.class, source.getConfigMapRef().getName())
                        .orElseThrow(() -> new AssertionError("no ConfigMap " + source.getConfigMapRef().getName()))
                        .getData().forEach(names::put);
            }
        });
        return names;
    }

    private static String describe(io.fabric8.kubernetes.api.model.EnvVar e) {
        if (e.getValueFrom().getSecretKeyRef() != null) {
            return "secret " + e.getValueFrom().getSecretKeyRef().getName();
        }
        return "field";
    }
}
