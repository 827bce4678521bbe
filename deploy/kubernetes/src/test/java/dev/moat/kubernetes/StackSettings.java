package dev.moat.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings {@code deploy/moat} gives each service (its {@code -Dkey=} arguments and the properties files it
 * writes for them), read from the script itself, by service. A key inside a function or {@code case} branch named
 * after a service belongs to that service; one in a shared part (the common arguments, the datasource file) to all.
 * Kafka's own start is skipped: its broker settings are not the services'. So is the web console's: these manifests
 * do not deploy it (deploy/kubernetes/README.md).
 */
final class StackSettings {

    static final List<String> SERVICES = List.of("policy-service", "vault-service", "audit-service");
    private static final Pattern FUNCTION = Pattern.compile("^([A-Za-z_]+)\\(\\)\\s*\\{");
    private static final Pattern CASE_BRANCH = Pattern.compile("^\\s*(policy|vault|audit)(-service)?(\\|[\\w-]+)*\\)");
    private static final Pattern KEY = Pattern.compile("(?:(?<![^\\s\"])-D|^)((?:quarkus|moat|kafka)\\.[A-Za-z0-9_.-]+)=");

    private StackSettings() {
    }

    static Map<String, Set<String>> read(Path script) {
        List<String> lines;
        try {
            lines = Files.readAllLines(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Set<String>> keys = new TreeMap<>();
        SERVICES.forEach(s -> keys.put(s, new TreeSet<>()));
        String function = "";
        Optional<String> service = Optional.empty();
        for (String line : lines) {
            Matcher f = FUNCTION.matcher(line);
            if (f.find()) {
                function = f.group(1);
                service = SERVICES.stream().filter(s -> f.group(1).contains(s.substring(0, s.indexOf('-')))).findFirst();
            }
            Matcher c = CASE_BRANCH.matcher(line);
            if (c.find() && !function.contains("kafka")) {
                service = Optional.of(c.group(1) + "-service");
            }
            if (function.contains("kafka") || function.contains("console") || line.stripLeading().startsWith("#")) {
                continue;
            }
            for (Matcher k = KEY.matcher(line.stripLeading()); k.find(); ) {
                String key = k.group(1);
                if (key.contains(".moat-console.")) {
                    continue; // the console's sign-in client at vault-service's issuer: the console is not deployed here
                }
                // moat.<service>.* is that service's, wherever the script builds it
                Optional<String> owner = SERVICES.stream()
                        .filter(s -> key.startsWith("moat." + s.substring(0, s.indexOf('-')) + ".")).findFirst();
                Optional<String> context = service;
                owner.or(() -> context).ifPresentOrElse(s -> keys.get(s).add(key),
                        () -> SERVICES.forEach(s -> keys.get(s).add(key)));
            }
        }
        return keys;
    }

    /** A broker setting of the replicated stack's Kafka ({@code key=value} in the script), if it has one. */
    static Optional<String> brokerSetting(Path script, String key) {
        try {
            Matcher m = Pattern.compile("^" + Pattern.quote(key) + "=(\\S+)$", Pattern.MULTILINE)
                    .matcher(Files.readString(script));
            String value = null;
            while (m.find()) {
                value = m.group(1); // the last one: the replicated topology's, after the single broker's
            }
            return Optional.ofNullable(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
