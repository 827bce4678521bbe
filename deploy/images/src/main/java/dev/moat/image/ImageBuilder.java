package dev.moat.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;

/**
 * Builds each service's image, {@code <service>/target/<service>-oci.tar} (an OCI image layout tarball), from its
 * {@code target/quarkus-app} with jib-core: no Docker daemon, no registry, reproducible (Jib fixes every file time and
 * the creation time, so the same inputs give the same digest).
 *
 * <p>Layers, least often changed first: the base (the runtime of {@link JavaRuntime}, unless a registry base is
 * named), the third-party libraries, Moat's own libraries, then the application itself. Usage:
 * {@code ImageBuilder <service-dir-name>...} with the system properties {@code moat.image.root} (the repository),
 * {@code moat.image.work-dir}, {@code moat.image.tag} and {@code moat.image.base} (empty: the built runtime).
 */
public final class ImageBuilder {

    /** Where the Quarkus application goes, as in Quarkus' own images. */
    public static final String APP_DIR = "/deployments";
    /** The one directory a service writes to ({@code moat.data-dir}); a volume in Kubernetes. */
    public static final String DATA_DIR = "/var/lib/moat";
    public static final String USER = JavaRuntime.UID + ":" + JavaRuntime.UID;
    public static final String REPOSITORY_PREFIX = "moat/";

    private static final Instant FILE_TIME = Instant.ofEpochSecond(1);
    private static final String OWNER = USER;

    private final Path root;
    private final Path workDir;
    private final String tag;
    private final Optional<String> base;

    ImageBuilder(Path root, Path workDir, String tag, Optional<String> base) {
        this.root = root;
        this.workDir = workDir;
        this.tag = tag;
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        ImageBuilder builder = new ImageBuilder(Path.of(required("moat.image.root")).toRealPath(),
                Path.of(required("moat.image.work-dir")), required("moat.image.tag"),
                Optional.ofNullable(System.getProperty("moat.image.base")).filter(s -> !s.isBlank()));
        for (String service : args) {
            long t0 = System.nanoTime();
            Path tar = builder.build(service);
            System.out.printf("[moat-images] %s -> %s (%.1f s)%n", service, builder.root.relativize(tar),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The tarball of a service's image. */
    public static Path tarball(Path root, String service) {
        return root.resolve(service).resolve("target").resolve(service + "-oci.tar");
    }

    /** The image's name, as the manifests refer to it. */
    public static String imageName(String service, String tag) {
        return REPOSITORY_PREFIX + service + ":" + tag;
    }

    /** The entrypoint: the runtime's java, or {@code java} from the PATH of a registry base. */
    public static List<String> entrypoint(boolean builtRuntime) {
        return List.of(builtRuntime ? JavaRuntime.JAVA_HOME + "/bin/java" : "java",
                "-XX:MaxRAMPercentage=75.0", "-Djava.awt.headless=true", "-jar", APP_DIR + "/quarkus-run.jar");
    }

    Path build(String service) throws Exception {
        Path module = root.resolve(service);
        Path app = module.resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app + "/quarkus-run.jar is missing: package " + service + " first");
        }
        ServiceConfig config = ServiceConfig.read(module);

        JibContainerBuilder image;
        if (base.isPresent()) {
            image = Jib.from(RegistryImage.named(base.get()));
        } else {
            image = Jib.fromScratch().addFileEntriesLayer(runtimeLayer(JavaRuntime.rootfs(workDir.resolve("runtime"))));
        }
        image.addFileEntriesLayer(layer("dependencies", app, p -> isLibrary(app, p) && !isMoatLibrary(p)))
                .addFileEntriesLayer(layer("moat-libraries", app, p -> isLibrary(app, p) && isMoatLibrary(p)))
                .addFileEntriesLayer(layer("application", app, p -> !isLibrary(app, p)
                        && !p.getFileName().toString().equals("quarkus-app-dependencies.txt")))
                .addFileEntriesLayer(dataDirectoryLayer())
                .setFormat(ImageFormat.OCI)
                .setUser(USER)
                .setWorkingDirectory(AbsoluteUnixPath.get(APP_DIR))
                .setEntrypoint(entrypoint(base.isEmpty()))
                .setEnvironment(environment(config))
                .setLabels(Map.of(
                        "org.opencontainers.image.title", "moat-" + service,
                        "org.opencontainers.image.version", tag,
                        "org.opencontainers.image.base.name", base.orElse("scratch + jlinked Java " + Runtime.version().feature())));
        for (ServiceConfig.ServicePort port : config.ports()) {
            image.addExposedPort(Port.tcp(port.number()));
        }

        Path tar = tarball(root, service);
        Files.deleteIfExists(tar);
        Containerizer to = Containerizer.to(TarImage.at(tar).named(ImageReference.parse(imageName(service, tag))))
                .setApplicationLayersCache(workDir.resolve("jib-cache"))
                .setBaseImageLayersCache(workDir.resolve("jib-base-cache"))
                .setOfflineMode(base.isEmpty())
                .setToolName("moat-images")
                .addEventHandler(LogEvent.class, e -> {
                    if (e.getLevel() == LogEvent.Level.ERROR || e.getLevel() == LogEvent.Level.WARN) {
                        System.err.println("[moat-images] " + e.getMessage());
                    }
                });
        JibContainer container = image.containerize(to);
        System.out.println("[moat-images] " + imageName(service, tag) + " " + container.getDigest());
        return tar;
    }

    /**
     * What a container needs beyond {@code application.properties}: listen on every interface (the properties bind
     * 127.0.0.1 for the local stack) and keep data under {@link #DATA_DIR}.
     */
    public static Map<String, String> environment(ServiceConfig config) {
        Map<String, String> env = new TreeMap<>();
        env.put("QUARKUS_HTTP_HOST", "0.0.0.0");
        if (config.hasGrpcServer()) {
            env.put("QUARKUS_GRPC_SERVER_HOST", "0.0.0.0");
        }
        if (config.managementEnabled()) {
            env.put("QUARKUS_MANAGEMENT_HOST", "0.0.0.0");
        }
        env.put("MOAT_DATA_DIR", DATA_DIR);
        return env;
    }

    private static boolean isLibrary(Path app, Path file) {
        return file.startsWith(app.resolve("lib"));
    }

    /** Moat's own modules change with every build, the third-party jars seldom: separate layers. */
    private static boolean isMoatLibrary(Path file) {
        return file.getFileName().toString().startsWith("dev.moat.");
    }

    private static FileEntriesLayer layer(String name, Path app, java.util.function.Predicate<Path> include)
            throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (Path file : files(app)) {
            if (include.test(file)) {
                layer.addEntry(file, AbsoluteUnixPath.get(APP_DIR).resolve(app.relativize(file).toString()),
                        FilePermissions.fromOctalString("644"), FILE_TIME, "0:0");
            }
        }
        return layer.build();
    }

    /** The runtime's files, executables kept executable; owned by root, so the service cannot change them. */
    private static FileEntriesLayer runtimeLayer(Path rootfs) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("runtime");
        for (Path file : files(rootfs)) {
            String mode = Files.isExecutable(file) || file.toString().contains(".so") ? "755" : "644";
            layer.addEntry(file, AbsoluteUnixPath.get("/").resolve(rootfs.relativize(file).toString()),
                    FilePermissions.fromOctalString(mode), FILE_TIME, "0:0");
        }
        return layer.build();
    }

    /** The data directory and /tmp, owned by the service's user: the only places it writes. */
    private static FileEntriesLayer dataDirectoryLayer() throws IOException {
        Path empty = Files.createTempDirectory("moat-image-dir");
        try {
            return FileEntriesLayer.builder().setName("writable-directories")
                    .addEntry(empty, AbsoluteUnixPath.get(DATA_DIR), FilePermissions.fromOctalString("750"), FILE_TIME, OWNER)
                    .addEntry(empty, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"), FILE_TIME, OWNER)
                    .build();
        } finally {
            // Jib reads the entry's attributes, not its content: the directory may go once the layer is described
            empty.toFile().deleteOnExit();
        }
    }

    /** Regular files under a directory in a stable order (the layer's content must not depend on the file system). */
    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString))
                    .collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + property + " is required");
        }
        return value;
    }
}
