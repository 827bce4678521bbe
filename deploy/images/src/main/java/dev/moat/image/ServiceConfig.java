package dev.moat.image;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a container of a service must agree with, read from the service's own
 * {@code src/main/resources/application.properties} (never a copied list): the ports it listens on and where its
 * health checks answer. The images declare these ports and the Kubernetes manifest test checks the manifests
 * against them.
 *
 * @param name the service's module directory, e.g. {@code vault-service}
 * @param properties its {@code application.properties}, without profile-specific ({@code %test.}) keys applied
 */
public record ServiceConfig(String name, Properties properties) {

    /** A port the service listens on: {@code http}, {@code https}, {@code grpc} or {@code management}. */
    public record ServicePort(String name, int number) {
    }

    /** Quarkus' defaults for keys a service may leave out. */
    static final int DEFAULT_MANAGEMENT_PORT = 9000;
    static final String DEFAULT_NON_APPLICATION_ROOT = "q";
    static final String DEFAULT_HEALTH_ROOT = "health";

    public static ServiceConfig read(Path moduleDir) {
        Path file = moduleDir.resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return new ServiceConfig(moduleDir.getFileName().toString(), properties);
    }

    public Optional<String> value(String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::strip);
    }

    /**
     * Every port the service listens on, in a fixed order: https, http, grpc, management. No main HTTP port when
     * {@code quarkus.http.host-enabled=false} (policy-service: its only HTTP is the management interface).
     */
    public List<ServicePort> ports() {
        List<ServicePort> ports = new ArrayList<>();
        if (Boolean.parseBoolean(value("quarkus.http.host-enabled").orElse("true"))) {
            value("quarkus.http.ssl-port").map(Integer::parseInt).ifPresent(p -> ports.add(new ServicePort("https", p)));
            if (!"disabled".equals(value("quarkus.http.insecure-requests").orElse("enabled"))) {
                ports.add(new ServicePort("http", value("quarkus.http.port").map(Integer::parseInt).orElse(8080)));
            }
        }
        if (Boolean.parseBoolean(value("quarkus.grpc.server.use-separate-server").orElse("true"))
                && value("quarkus.grpc.server.port").isPresent()) {
            ports.add(new ServicePort("grpc", Integer.parseInt(value("quarkus.grpc.server.port").get())));
        }
        if (managementEnabled()) {
            ports.add(new ServicePort("management",
                    value("quarkus.management.port").map(Integer::parseInt).orElse(DEFAULT_MANAGEMENT_PORT)));
        }
        return List.copyOf(ports);
    }

    public boolean managementEnabled() {
        return Boolean.parseBoolean(value("quarkus.management.enabled").orElse("false"));
    }

    /** The port that serves {@code /q/health/*}: the management port when it is enabled, else the main port. */
    public ServicePort healthPort() {
        String wanted = managementEnabled() ? "management" : ports().get(0).name();
        return ports().stream().filter(p -> p.name().equals(wanted)).findFirst().orElseThrow();
    }

    /** {@code HTTP} or {@code HTTPS}, as a Kubernetes probe's {@code scheme} names it. */
    public String healthScheme() {
        if (managementEnabled()) {
            return value("quarkus.management.ssl.certificate.files").isPresent()
                    || value("quarkus.management.tls-configuration-name").isPresent() ? "HTTPS" : "HTTP";
        }
        return healthPort().name().equals("https") ? "HTTPS" : "HTTP";
    }

    public String livenessPath() {
        return healthRoot() + "/live";
    }

    public String readinessPath() {
        return healthRoot() + "/ready";
    }

    private String healthRoot() {
        String root = "/" + value("quarkus.http.non-application-root-path").orElse(DEFAULT_NON_APPLICATION_ROOT)
                .replaceAll("^/+|/+$", "");
        return root + "/" + value("quarkus.smallrye-health.root-path").orElse(DEFAULT_HEALTH_ROOT)
                .replaceAll("^/+|/+$", "");
    }

    /** Whether the service binds gRPC's own server, whose host must then be opened in a container too. */
    public boolean hasGrpcServer() {
        return ports().stream().anyMatch(p -> p.name().equals("grpc"));
    }
}
