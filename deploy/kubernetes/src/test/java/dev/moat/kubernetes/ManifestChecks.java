package dev.moat.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.image.ImageBuilder;
import dev.moat.image.ServiceConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The checks of the manifests against the services, each an assertion that names what disagrees. Shared by
 * {@link ManifestTest} (the real manifests) and {@link BrokenManifestTest} (fixtures that must fail them).
 */
final class ManifestChecks {

    static final String NAME_LABEL = "app.kubernetes.io/name";
    /** Quarkus reads config/application.properties of its working directory, above the image's own. */
    static final String CONFIG_DIR = ImageBuilder.APP_DIR + "/config";
    static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?}");

    private ManifestChecks() {
    }

    static void all(Rendered rendered, Map<String, ServiceFacts> facts, String version, String readme) {
        facts.values().forEach(f -> workload(rendered, f, version, readme));
        services(rendered);
        disruptionBudgets(rendered, facts.keySet());
        onlyVaultServiceReachesPolicyGrpc(rendered, facts.get("policy-service"));
        vaultServiceKeepsItsSpoolPerReplica(rendered);
        kafkaReplication(rendered, facts);
    }

    /** A service's workload: image, user, ports, probes, resources, and a configuration the service reads. */
    static void workload(Rendered rendered, ServiceFacts service, String version, String readme) {
        String name = service.name();
        PodTemplateSpec pod = rendered.podTemplate(name).orElseThrow(() -> new AssertionError("no workload " + name));
        Container c = Rendered.container(pod, name);
        ServiceConfig config = service.config();

        assertThat(c.getImage()).as("%s image", name).isEqualTo(ImageBuilder.imageName(name, version));
        int uid = Integer.parseInt(ImageBuilder.USER.split(":")[0]);
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).as("%s runAsNonRoot", name).isTrue();
        assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).as("%s runAsUser", name).isEqualTo(uid);

        // exactly the ports the service listens on, by the same names
        Set<String> declared = new TreeSet<>();
        c.getPorts().forEach(p -> declared.add(p.getName() + "=" + p.getContainerPort()));
        Set<String> listening = new TreeSet<>();
        config.ports().forEach(p -> listening.add(p.name() + "=" + p.number()));
        assertThat(declared).as("%s container ports (the service listens on %s)", name, listening).isEqualTo(listening);

        for (Probe probe : new Probe[] {c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()}) {
            assertThat(probe).as("%s probes", name).isNotNull();
        }
        probe(name + " liveness", c, c.getLivenessProbe(), config, config.livenessPath());
        probe(name + " startup", c, c.getStartupProbe(), config, config.livenessPath());
        probe(name + " readiness", c, c.getReadinessProbe(), config, config.readinessPath());

        for (String resource : List.of("cpu", "memory")) {
            assertThat(c.getResources().getRequests()).as("%s requests", name).containsKey(resource);
            assertThat(c.getResources().getLimits()).as("%s limits", name).containsKey(resource);
        }

        // the configuration: keys the service reads, ${...} the container's environment provides, files it mounts
        Properties cfg = rendered.mountedProperties(pod, c, CONFIG_DIR);
        Map<String, String> env = rendered.environmentNames(c);
        for (String key : cfg.stringPropertyNames()) {
            assertThat(service.reads(key)).as("%s reads %s (application.properties, @ConfigMapping %s)", name, key,
                    service.mappingPrefixes()).isTrue();
            Matcher ref = REFERENCE.matcher(cfg.getProperty(key));
            while (ref.find()) {
                assertThat(env).as("%s: %s refers to ${%s}", name, key, ref.group(1)).containsKey(ref.group(1));
            }
            String value = cfg.getProperty(key).strip();
            if (value.startsWith("/etc/moat/")) {
                secretFile(pod, c, name + " " + key, value);
            }
        }
        datasources(name, service, cfg, c);

        // every Secret the workload uses is one the README tells the operator to provide, with its keys
        for (String secretAndKey : secretsUsed(pod, c)) {
            for (String part : secretAndKey.split("/")) {
                assertThat(readme).as("README names `%s` (%s uses %s)", part, name, secretAndKey)
                        .contains("`" + part + "`");
            }
        }
    }

    private static void probe(String what, Container c, Probe probe, ServiceConfig config, String path) {
        if (probe.getHttpGet() != null) {
            assertThat(probe.getHttpGet().getPath()).as("%s path", what).isEqualTo(path);
            assertThat(portNumber(c, probe.getHttpGet().getPort())).as("%s port", what)
                    .isEqualTo(config.healthPort().number());
            assertThat(probe.getHttpGet().getScheme()).as("%s scheme", what).isEqualTo(config.healthScheme());
        } else {
            assertThat(probe.getTcpSocket()).as("%s: an HTTP or a TCP check", what).isNotNull();
            int port = portNumber(c, probe.getTcpSocket().getPort());
            assertThat(config.ports()).as("%s port", what).anyMatch(p -> p.number() == port);
        }
    }

    /** A container port by number or by name; a name no port of the container has fails. */
    static int portNumber(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError(c.getName() + " has no port named " + port.getStrVal()));
    }

    /** A configured file under /etc/moat comes from a Secret mounted there, holding that file. */
    private static void secretFile(PodTemplateSpec pod, Container c, String what, String file) {
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(what + ": nothing is mounted above " + file));
        Volume volume = Rendered.volume(pod, mount.getName()).orElseThrow();
        assertThat(volume.getSecret()).as("%s: %s is from a Secret", what, file).isNotNull();
        String inVolume = file.substring(mount.getMountPath().length() + 1);
        if (volume.getSecret().getItems() != null && !volume.getSecret().getItems().isEmpty()) {
            assertThat(volume.getSecret().getItems()).as("%s: the Secret's items hold %s", what, inVolume)
                    .anyMatch(i -> i.getPath().equals(inVolume));
        }
    }

    /** PostgreSQL on, every other datasource the service declares off, the password from a Secret. */
    private static void datasources(String name, ServiceFacts service, Properties cfg, Container c) {
        Map<String, String> declared = service.datasources();
        assertThat(declared).as("%s declares a postgresql datasource", name).containsEntry("postgresql", "postgresql");
        declared.keySet().stream().filter(d -> !d.equals("postgresql")).forEach(d -> {
            String key = d.equals("<default>") ? "quarkus.datasource.active" : "quarkus.datasource." + d + ".active";
            assertThat(cfg.getProperty(key)).as("%s: %s", name, key).isEqualTo("false");
        });
        assertThat(cfg.getProperty("quarkus.datasource.postgresql.active")).as(name).isEqualTo("true");
        assertThat(cfg.getProperty("quarkus.datasource.postgresql.jdbc.url")).as(name).startsWith("jdbc:postgresql://");
        assertThat(cfg.getProperty("quarkus.datasource.postgresql.username")).as(name).isNotBlank();
        Matcher password = REFERENCE.matcher(cfg.getProperty("quarkus.datasource.postgresql.password", ""));
        assertThat(password.find()).as("%s: the database password is a ${...} reference", name).isTrue();
        assertThat(c.getEnv()).as("%s: ${%s} comes from a Secret", name, password.group(1))
                .anyMatch(e -> e.getName().equals(password.group(1)) && e.getValueFrom() != null
                        && e.getValueFrom().getSecretKeyRef() != null);
    }

    /** {@code secret/key} for every Secret key the container reads, through its environment or its volumes. */
    static Set<String> secretsUsed(PodTemplateSpec pod, Container c) {
        Set<String> used = new TreeSet<>();
        c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .forEach(e -> used.add(e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey()));
        for (VolumeMount mount : c.getVolumeMounts()) {
            Optional<Volume> volume = Rendered.volume(pod, mount.getName());
            if (volume.isEmpty()) {
                continue; // a StatefulSet's claim: vaultServiceKeepsItsSpoolPerReplica checks it
            }
            Volume v = volume.get();
            if (v.getSecret() != null) {
                assertThat(v.getSecret().getItems()).as("secret volume %s lists its keys", v.getName()).isNotEmpty();
                v.getSecret().getItems().forEach(i -> used.add(v.getSecret().getSecretName() + "/" + i.getKey()));
            }
        }
        return used;
    }

    /**
     * Every Service selects a workload and sends each port to a port that workload's container listens on, never to
     * its management interface (health and metrics are for the kubelet and the namespace's monitoring, not clients).
     */
    static void services(Rendered rendered) {
        for (Service service : rendered.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            String target = selector.get(NAME_LABEL);
            PodTemplateSpec pod = rendered.podTemplate(target)
                    .orElseThrow(() -> new AssertionError("Service " + service.getMetadata().getName() + " selects no workload"));
            assertThat(pod.getMetadata().getLabels()).as("pods of %s", target).containsAllEntriesOf(selector);
            Container c = Rendered.container(pod, target);
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString targetPort = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                int number = portNumber(c, targetPort);
                assertThat(c.getPorts()).as("Service %s port %s reaches a port %s listens on",
                        service.getMetadata().getName(), port.getName(), target).anyMatch(p -> p.getContainerPort() == number);
                assertThat(c.getPorts()).as("Service %s port %s exposes %s's management interface",
                        service.getMetadata().getName(), port.getName(), target)
                        .noneMatch(p -> p.getContainerPort() == number && "management".equals(p.getName()));
            }
        }
    }

    static void disruptionBudgets(Rendered rendered, Set<String> services) {
        for (String service : services) {
            PodDisruptionBudget pdb = rendered.find(PodDisruptionBudget.class, service)
                    .orElseThrow(() -> new AssertionError("no PodDisruptionBudget for " + service));
            assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry(NAME_LABEL, service);
            assertThat(pdb.getSpec().getMinAvailable() != null || pdb.getSpec().getMaxUnavailable() != null).isTrue();
        }
    }

    /**
     * policy-service's gRPC port admits the pods of its callers and nobody else: every ingress rule that opens it (a
     * rule without ports opens all) names only pods of a service whose configuration names policy-service as its gRPC
     * client's host (vault-service; audit-service for what-if evaluations).
     */
    static void onlyVaultServiceReachesPolicyGrpc(Rendered rendered, ServiceFacts policy) {
        Set<String> callers = new TreeSet<>();
        for (String service : StackSettings.SERVICES) {
            rendered.podTemplate(service).ifPresent(p -> {
                Container c = Rendered.container(p, service);
                if ("policy-service".equals(rendered.mountedProperties(p, c, CONFIG_DIR)
                        .getProperty("quarkus.grpc.clients.policy.host"))) {
                    callers.add(service);
                }
            });
        }
        assertThat(callers).contains("vault-service");
        int grpc = policy.config().ports().stream().filter(p -> p.name().equals("grpc")).findFirst().orElseThrow().number();
        PodTemplateSpec pod = rendered.podTemplate("policy-service").orElseThrow();
        Container c = Rendered.container(pod, "policy-service");
        List<NetworkPolicy> policies = rendered.all(NetworkPolicy.class).stream()
                .filter(np -> pod.getMetadata().getLabels().entrySet().containsAll(
                        np.getSpec().getPodSelector().getMatchLabels().entrySet()))
                .toList();
        assertThat(policies).as("a NetworkPolicy selects policy-service").isNotEmpty();
        boolean vaultAdmitted = false;
        for (NetworkPolicy np : policies) {
            assertThat(np.getSpec().getPolicyTypes()).contains("Ingress");
            for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
                boolean opensGrpc = rule.getPorts() == null || rule.getPorts().isEmpty()
                        || rule.getPorts().stream().anyMatch(p -> portNumber(c, p.getPort()) == grpc);
                if (!opensGrpc) {
                    continue;
                }
                assertThat(rule.getFrom()).as("%s: a rule opening gRPC names its peers", np.getMetadata().getName()).isNotEmpty();
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertThat(peer.getIpBlock()).as("no address block reaches gRPC").isNull();
                    assertThat(peer.getNamespaceSelector()).as("no other namespace reaches gRPC").isNull();
                    assertThat(peer.getPodSelector().getMatchLabels()).as("only vault-service reaches gRPC (and callers %s)", callers)
                            .containsKey(NAME_LABEL);
                    assertThat(callers).as("only vault-service reaches gRPC (and callers %s)", callers)
                            .contains(peer.getPodSelector().getMatchLabels().get(NAME_LABEL));
                    vaultAdmitted |= "vault-service".equals(peer.getPodSelector().getMatchLabels().get(NAME_LABEL));
                }
            }
        }
        assertThat(vaultAdmitted).as("vault-service may reach policy-service's gRPC port").isTrue();
    }

    /** vault-service is a StatefulSet whose data directory (its spool) is a volume claimed per replica. */
    static void vaultServiceKeepsItsSpoolPerReplica(Rendered rendered) {
        StatefulSet vault = rendered.find(StatefulSet.class, "vault-service")
                .orElseThrow(() -> new AssertionError("vault-service is not a StatefulSet"));
        Container c = Rendered.container(vault.getSpec().getTemplate(), "vault-service");
        VolumeMount data = Rendered.mountAt(c, ImageBuilder.DATA_DIR)
                .orElseThrow(() -> new AssertionError("nothing mounted at " + ImageBuilder.DATA_DIR));
        assertThat(vault.getSpec().getVolumeClaimTemplates()).as("the spool's volume is claimed per replica")
                .anyMatch(t -> t.getMetadata().getName().equals(data.getName()));
    }

    /**
     * Where the manifests run Kafka (the strimzi overlay), it has the replicated stack's replication: the same
     * {@code default.replication.factor} and {@code min.insync.replicas} as deploy/moat's brokers (at least 3 and 2),
     * every topic the services use on as many brokers, and the services' bootstrap address is its own.
     */
    static void kafkaReplication(Rendered rendered, Map<String, ServiceFacts> facts) {
        List<HasMetadata> clusters = rendered.ofKind("Kafka");
        if (clusters.isEmpty()) {
            return; // external Kafka: the operator's (README, "What you provide")
        }
        Path script = Path.of(System.getProperty("moat.root")).resolve("deploy/moat");
        int replication = Integer.parseInt(StackSettings.brokerSetting(script, "default.replication.factor").orElse("3"));
        int minIsr = Integer.parseInt(StackSettings.brokerSetting(script, "min.insync.replicas").orElse("2"));
        assertThat(replication).isGreaterThanOrEqualTo(3);
        assertThat(minIsr).isGreaterThanOrEqualTo(2);

        GenericKubernetesResource kafka = (GenericKubernetesResource) clusters.get(0);
        Map<String, Object> config = kafka.get("spec", "kafka", "config");
        assertThat(String.valueOf(config.get("default.replication.factor"))).isEqualTo(String.valueOf(replication));
        assertThat(String.valueOf(config.get("min.insync.replicas"))).isEqualTo(String.valueOf(minIsr));
        int brokers = rendered.ofKind("KafkaNodePool").stream()
                .mapToInt(p -> ((Number) ((GenericKubernetesResource) p).get("spec", "replicas")).intValue()).sum();
        assertThat(brokers).as("brokers").isGreaterThanOrEqualTo(replication);

        Set<String> topics = new TreeSet<>();
        facts.values().forEach(f -> topics.addAll(f.topics()));
        for (String topic : topics) {
            GenericKubernetesResource t = (GenericKubernetesResource) rendered.ofKind("KafkaTopic").stream()
                    .filter(o -> o.getMetadata().getName().equals(topic)).findFirst()
                    .orElseThrow(() -> new AssertionError("no KafkaTopic " + topic));
            assertThat(((Number) t.get("spec", "replicas")).intValue()).as(topic).isEqualTo(replication);
            Map<String, Object> topicConfig = t.get("spec", "config");
            assertThat(String.valueOf(topicConfig.get("min.insync.replicas"))).as(topic).isEqualTo(String.valueOf(minIsr));
        }

        String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:";
        List<Map<String, Object>> listeners = kafka.get("spec", "kafka", "listeners");
        Set<String> addresses = new TreeSet<>();
        listeners.forEach(l -> addresses.add(bootstrap + l.get("port")));
        for (String service : facts.keySet()) {
            PodTemplateSpec pod = rendered.podTemplate(service).orElseThrow();
            Container c = Rendered.container(pod, service);
            String value = rendered.mountedProperties(pod, c, CONFIG_DIR).getProperty("kafka.bootstrap.servers");
            String resolved = resolve(value, rendered.environmentNames(c));
            assertThat(addresses).as("%s's kafka.bootstrap.servers", service).contains(resolved);
        }
    }

    /**
     * Every setting deploy/moat gives a service of the local stacks is in that service's configuration here, or is
     * expressed otherwise, as checked here: listening on all interfaces and the data directory by the image, ports by the
     * service's own defaults, extra configuration files by the mounted one, the generated master key by a Secret's.
     */
    static void replicatedStackSettings(Rendered rendered, Map<String, ServiceFacts> facts) {
        for (ServiceFacts service : facts.values()) {
            PodTemplateSpec pod = rendered.podTemplate(service.name()).orElseThrow();
            Container c = Rendered.container(pod, service.name());
            Properties cfg = rendered.mountedProperties(pod, c, CONFIG_DIR);
            Map<String, String> imageEnv = ImageBuilder.environment(service.config());
            List<String> missing = new ArrayList<>();
            for (String key : service.stackKeys()) {
                switch (key) {
                    case "quarkus.http.host" -> assertThat(imageEnv).containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0");
                    case "quarkus.grpc.server.host" -> assertThat(imageEnv).containsEntry("QUARKUS_GRPC_SERVER_HOST", "0.0.0.0");
                    // the local stack binds the management interface to loopback; the kubelet must reach it here
                    case "quarkus.management.host" -> {
                        assertThat(imageEnv).containsEntry("QUARKUS_MANAGEMENT_HOST", "0.0.0.0");
                        assertThat(cfg.getProperty(key)).as("%s %s", service.name(), key).isEqualTo("0.0.0.0");
                    }
                    case "moat.data-dir" -> {
                        assertThat(imageEnv).containsEntry("MOAT_DATA_DIR", ImageBuilder.DATA_DIR);
                        assertThat(Rendered.mountAt(c, ImageBuilder.DATA_DIR)).as("%s data volume", service.name()).isPresent();
                    }
                    // the stack moves ports to free ones; a container keeps the service's own (checked by workload())
                    case "quarkus.http.port", "quarkus.http.ssl-port", "quarkus.grpc.server.port",
                            "quarkus.management.port", "quarkus.http.insecure-requests" ->
                            assertThat(cfg.getProperty(key)).as(key).isNull();
                    case "quarkus.config.locations" ->
                            assertThat(Rendered.mountAt(c, CONFIG_DIR)).as("%s configuration", service.name()).isPresent();
                    case "moat.vault.crypto.generate-master-key" -> {
                        assertThat(cfg.getProperty(key, "false")).isEqualTo("false");
                        assertThat(cfg.getProperty("moat.vault.crypto.master-key-file")).startsWith("/etc/moat/");
                    }
                    default -> {
                        if (!cfg.containsKey(key)) {
                            missing.add(key);
                        }
                    }
                }
            }
            assertThat(missing).as("%s: settings deploy/moat gives it that the manifests lack", service.name()).isEmpty();
        }
    }

    /** A property value with its ${NAME}s replaced from the environment. */
    static String resolve(String value, Map<String, String> env) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(Optional.ofNullable(env.get(m.group(1))).orElse("")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
