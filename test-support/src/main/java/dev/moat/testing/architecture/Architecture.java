package dev.moat.testing.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The shape rules every service's {@code ArchitectureTest} checks: its packages import each other without a cycle,
 * and no production class grows past {@value #MAX_LINES} lines unless it says why it is one cohesive thing.
 */
public final class Architecture {

    public static final int MAX_LINES = 400;

    private Architecture() {
    }

    /** Fails naming every package cycle among the module's production classes under {@code basePackage}. */
    public static void assertNoPackageCycles(String basePackage) {
        List<String> cycles = packageCycles(productionClasses(), basePackage);
        if (!cycles.isEmpty()) {
            throw new AssertionError(String.join("\n", cycles));
        }
    }

    /**
     * Fails naming every production source file of the module ({@code src/main/java}) that is too long for no
     * stated reason (see {@link #longClasses}).
     */
    public static void assertNoLongClasses() {
        List<String> found = longClasses(Path.of("src", "main", "java"));
        if (!found.isEmpty()) {
            throw new AssertionError("over " + MAX_LINES + " lines, and the first line of the type's Javadoc does not "
                    + "say why it is one cohesive thing:\n" + String.join("\n", found));
        }
    }

    /**
     * The module's own production classes, read from its {@code target/classes}. Classes they use from elsewhere
     * are not imported too: only dependencies between the module's own packages matter here, and resolving the rest
     * from the class path would take seconds.
     */
    public static JavaClasses productionClasses() {
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        return new ClassFileImporter().importPath(Path.of("target", "classes"));
    }

    /**
     * The package cycles among the top-level packages under {@code basePackage} ({@code dev.moat.vault.api} and its
     * subpackages are one node), one line per strongly connected group of packages: every package in it reaches every
     * other. Each edge of a group is shown with one class dependency that makes it. Empty when there is no cycle.
     */
    public static List<String> packageCycles(JavaClasses classes, String basePackage) {
        Map<String, Map<String, String>> edges = new TreeMap<>();
        for (JavaClass origin : classes) {
            String from = topPackage(origin.getPackageName(), basePackage);
            if (from == null) {
                continue;
            }
            edges.computeIfAbsent(from, k -> new TreeMap<>());
            for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                String to = topPackage(dependency.getTargetClass().getPackageName(), basePackage);
                if (to != null && !to.equals(from)) {
                    edges.get(from).putIfAbsent(to, dependency.getDescription());
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (Set<String> group : stronglyConnected(edges)) {
            if (group.size() < 2) {
                continue;
            }
            StringBuilder text = new StringBuilder("packages " + group + " import each other:");
            for (String from : group) {
                edges.get(from).forEach((to, example) -> {
                    if (group.contains(to)) {
                        text.append("\n  ").append(from).append(" -> ").append(to).append(": ").append(example);
                    }
                });
            }
            cycles.add(text.toString());
        }
        return cycles;
    }

    private static String topPackage(String packageName, String basePackage) {
        if (!packageName.startsWith(basePackage + ".")) {
            return null;
        }
        String rest = packageName.substring(basePackage.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** Tarjan's algorithm: the strongly connected components of a small graph. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String node : edges.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, edges, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void connect(String node, Map<String, Map<String, String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : edges.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                connect(next, edges, index, low, stack, onStack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }

    private static final Pattern FIRST_JAVADOC_LINE =
            Pattern.compile("/\\*\\*\\s*\\n?\\s*\\*?\\s*([^\\n]*)");

    /**
     * The production source files under {@code sourceRoot} longer than {@value #MAX_LINES} lines whose type's
     * Javadoc does not start with a line saying why it is one cohesive thing (a line containing "cohesive", as in
     * "One cohesive thing because …"). There is no allow list: the reason stands in the class itself. Each as
     * "path: N lines".
     */
    public static List<String> longClasses(Path sourceRoot) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String relative = sourceRoot.relativize(file).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(file);
                if (lines.size() > MAX_LINES && !firstJavadocLineOfType(String.join("\n", lines)).toLowerCase().contains("cohesive")) {
                    found.add(relative + ": " + lines.size() + " lines");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The first line of the Javadoc right before the first top-level type declaration, or "". */
    static String firstJavadocLineOfType(String source) {
        Matcher type = Pattern.compile("(?m)^(public |final |abstract |sealed |non-sealed )*"
                + "(class|interface|enum|record|@interface) ").matcher(source);
        if (!type.find()) {
            return "";
        }
        int javadoc = source.lastIndexOf("/**", type.start());
        if (javadoc < 0 || source.indexOf("*/", javadoc) > type.start()) {
            return "";
        }
        Matcher first = FIRST_JAVADOC_LINE.matcher(source).region(javadoc, type.start());
        return first.lookingAt() ? first.group(1) : "";
    }
}
