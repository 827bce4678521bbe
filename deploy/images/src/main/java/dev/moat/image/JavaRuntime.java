package dev.moat.image;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The base of the images when no registry is at hand: a root file system with a {@code jlink}ed Java runtime (from
 * the JDK that runs the build) and the shared libraries it needs, copied from the build machine as {@code ldd}
 * lists them, plus the user the services run as. Made once per JDK and module list and reused by every image.
 */
final class JavaRuntime {

    /** Where the runtime lives in the image. */
    static final String JAVA_HOME = "/opt/java/jre";

    /** The numeric user and group the services run as (not root; no name needed). */
    static final int UID = 10001;

    /**
     * The JDK modules the three services use. java.desktop only for java.beans (Quarkus core, Narayana, H2): its AWT
     * natives are left without their X11 libraries, as a headless server never loads them. java.rmi for Narayana's
     * transaction exceptions (without it Quarkus fails to start: ImageRunsTest). jdk.crypto.ec for TLS and
     * ES256 keys, jdk.unsupported for Netty and Kafka, jdk.management for Micrometer's process metrics,
     * jdk.naming.dns and jdk.zipfs for libraries that look them up at run time.
     */
    static final List<String> MODULES = List.of(
            "java.base", "java.desktop", "java.logging", "java.management", "java.naming", "java.net.http",
            "java.rmi", "java.security.jgss", "java.security.sasl", "java.sql", "java.transaction.xa", "java.xml",
            "jdk.crypto.ec", "jdk.management", "jdk.naming.dns", "jdk.unsupported", "jdk.zipfs");

    /** Natives of java.desktop that need X11, ALSA or font libraries; never loaded by a headless service. */
    private static final Pattern DESKTOP_NATIVES =
            Pattern.compile("lib(awt.*|fontmanager|javajpeg|lcms|mlib_image|splashscreen|jsound|jawt)\\.so");

    private static final Pattern LDD_LINE = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)$");

    private JavaRuntime() {
    }

    /** The root file system under {@code workDir}, made now unless the same JDK already made it. */
    static Path rootfs(Path workDir) throws IOException {
        Path rootfs = workDir.resolve("rootfs");
        Path stamp = workDir.resolve("runtime.stamp");
        String fingerprint = System.getProperty("java.home") + " " + Runtime.version() + " " + MODULES;
        if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(fingerprint)) {
            return rootfs;
        }
        deleteRecursively(rootfs);
        Path jre = rootfs.resolve(JAVA_HOME.substring(1));
        Files.createDirectories(jre.getParent());
        jlink(jre);
        for (String library : sharedLibraries(jre)) {
            Path target = rootfs.resolve(library.substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(library), target, StandardCopyOption.REPLACE_EXISTING); // follows links: the file itself
        }
        Path etc = Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
                + "moat:x:" + UID + ":" + UID + ":moat:/var/lib/moat:/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nmoat:x:" + UID + ":\n");
        Files.writeString(stamp, fingerprint);
        return rootfs;
    }

    private static void jlink(Path output) {
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new IllegalStateException(
                "jlink not found: build the images with a JDK (not a JRE), or name a base with -Dmoat.image.base"));
        StringWriter log = new StringWriter();
        int exit = jlink.run(new PrintWriter(log), new PrintWriter(log),
                "--add-modules", String.join(",", MODULES),
                "--strip-debug", "--no-header-files", "--no-man-pages",
                "--output", output.toString());
        if (exit != 0) {
            throw new IllegalStateException("jlink failed (" + exit + "): " + log);
        }
    }

    /** Every library the launcher and the runtime's natives load, by absolute path, the dynamic loader included. */
    private static Set<String> sharedLibraries(Path jre) throws IOException {
        List<Path> binaries;
        try (Stream<Path> files = Files.walk(jre)) {
            binaries = files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".so") || p.equals(jre.resolve("bin/java")))
                    .filter(p -> !DESKTOP_NATIVES.matcher(p.getFileName().toString()).matches())
                    .collect(Collectors.toList());
        }
        Set<String> libraries = new TreeSet<>();
        for (Path binary : binaries) {
            for (String line : ldd(binary)) {
                if (line.contains("not found")) {
                    String lib = line.strip().split("\\s+")[0];
                    // the runtime's own libraries are found through its RPATH at run time, not by ldd here
                    if (!Files.exists(jre.resolve("lib").resolve(lib)) && !Files.exists(jre.resolve("lib/server").resolve(lib))) {
                        throw new IllegalStateException(binary + " needs " + lib + ", which this machine lacks");
                    }
                    continue;
                }
                Matcher m = LDD_LINE.matcher(line);
                if (m.matches() && !m.group(1).startsWith(jre.toString())) {
                    libraries.add(m.group(1));
                }
            }
        }
        if (libraries.stream().noneMatch(l -> l.contains("ld-linux"))) {
            throw new IllegalStateException("ldd named no dynamic loader for " + jre + "/bin/java: " + libraries);
        }
        return libraries;
    }

    private static List<String> ldd(Path binary) throws IOException {
        Process ldd;
        try {
            ldd = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("ldd not found: the built runtime needs Linux with glibc; "
                    + "elsewhere name a base with -Dmoat.image.base", e);
        }
        String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (ldd.waitFor() != 0) {
                throw new IllegalStateException("ldd " + binary + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out.lines().collect(Collectors.toList());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
