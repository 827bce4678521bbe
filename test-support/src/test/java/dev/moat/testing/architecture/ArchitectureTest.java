package dev.moat.testing.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.tngtech.archunit.core.importer.ClassFileImporter;

/** The shape checks themselves find what they are for (the services' ArchitectureTests pass only if they would). */
class ArchitectureTest {

    private static final String FIXTURE = "dev.moat.testing.architecture.fixture";

    @Test
    void finds_a_cycle_through_three_packages_and_leaves_out_a_package_that_only_uses_it() {
        List<String> cycles = Architecture.packageCycles(new ClassFileImporter().importPackages(FIXTURE), FIXTURE);

        assertEquals(1, cycles.size(), String.join("\n", cycles));
        assertTrue(cycles.get(0).startsWith("packages [a, b, c] import each other:"), cycles.get(0));
        assertTrue(cycles.get(0).contains("c -> a: "), cycles.get(0));
    }

    @Test
    void a_long_class_passes_only_when_the_first_line_of_its_javadoc_says_why(@TempDir Path root)
            throws IOException {
        String body = "    int x;\n".repeat(Architecture.MAX_LINES);
        write(root, "p/Long.java", "package p;\n\n/** Does many things. */\npublic class Long {\n" + body + "}\n");
        write(root, "p/Cohesive.java", "package p;\n\n/**\n * One cohesive thing: the whole state machine of X.\n */"
                + "\n@Deprecated\npublic final class Cohesive {\n" + body + "}\n");
        write(root, "p/Undocumented.java", "package p;\n\npublic class Undocumented {\n" + body + "}\n");
        write(root, "p/SaysItLater.java", "package p;\n\n/**\n * Does many things.\n * <p>One cohesive thing.\n */\n"
                + "public class SaysItLater {\n" + body + "}\n");
        write(root, "p/Short.java", "package p;\n\npublic class Short {\n}\n");

        assertEquals(List.of("p/Long.java: " + (Architecture.MAX_LINES + 5) + " lines",
                "p/SaysItLater.java: " + (Architecture.MAX_LINES + 8) + " lines",
                "p/Undocumented.java: " + (Architecture.MAX_LINES + 4) + " lines"), Architecture.longClasses(root));
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
