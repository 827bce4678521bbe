package dev.moat.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.moat.image.ServiceConfig;

/**
 * What a service really reads, from its own sources: the keys of its {@code application.properties}, the prefixes and
 * property names of its {@code @ConfigMapping} interfaces, and the topics they default to; plus the settings
 * {@code deploy/moat} passes to it (the stack the system tests run, so those keys are known to work).
 */
record ServiceFacts(String name, ServiceConfig config, Set<String> mappingPrefixes, Set<String> mappingNames,
        Set<String> topics, Set<String> stackKeys) {

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern ACCESSOR = Pattern.compile("^\\s+[\\w.<>, ?]+\\s+(\\w+)\\(\\);", Pattern.MULTILINE);
    private static final Pattern TOPIC = Pattern.compile("@WithDefault\\(\"([^\"]+)\"\\)\\s*String\\s+\\w*[tT]opic\\(\\)");

    static ServiceFacts read(Path root, String service, Set<String> stackKeys) {
        ServiceConfig config = ServiceConfig.read(root.resolve(service));
        Set<String> prefixes = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        Set<String> topics = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(root.resolve(service).resolve("src/main/java"))) {
            for (Path source : (Iterable<Path>) sources.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(source);
                Matcher mapping = MAPPING.matcher(text);
                if (!mapping.find()) {
                    continue;
                }
                prefixes.add(mapping.group(1));
                for (Matcher m = ACCESSOR.matcher(text); m.find(); ) {
                    names.add(kebab(m.group(1)));
                }
                for (Matcher m = TOPIC.matcher(text); m.find(); ) {
                    topics.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceFacts(service, config, prefixes, names, topics, stackKeys);
    }

    /**
     * Whether the service reads this key: it is in its application.properties, deploy/moat passes it, it lies under one
     * of its {@code @ConfigMapping} prefixes and ends in one of the mapping's property names, or it is a Quarkus or
     * Kafka key of a family (first three segments) its application.properties configures.
     */
    boolean reads(String key) {
        if (config.properties().containsKey(key) || stackKeys.contains(key)) {
            return true;
        }
        String last = key.substring(key.lastIndexOf('.') + 1);
        if (mappingPrefixes.stream().anyMatch(p -> key.startsWith(p + ".")) && mappingNames.contains(last)) {
            return true;
        }
        String[] segments = key.split("\\.");
        if ((key.startsWith("quarkus.") || key.startsWith("kafka.")) && segments.length > 3) {
            String family = String.join(".", segments[0], segments[1], segments[2]) + ".";
            return config.properties().stringPropertyNames().stream().anyMatch(k -> k.startsWith(family));
        }
        return false;
    }

    /** Datasource name to {@code db-kind}; the unnamed default datasource is {@code <default>}. */
    Map<String, String> datasources() {
        Map<String, String> kinds = new TreeMap<>();
        for (String key : config.properties().stringPropertyNames()) {
            if (key.equals("quarkus.datasource.db-kind")) {
                kinds.put("<default>", config.properties().getProperty(key));
            } else if (key.matches("quarkus\\.datasource\\.[\\w-]+\\.db-kind")) {
                kinds.put(key.split("\\.")[2], config.properties().getProperty(key));
            }
        }
        return kinds;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
