package dev.moat.console;

import org.junit.jupiter.api.Test;

import dev.moat.testing.architecture.Architecture;

/** The console module's packages import each other without a cycle, and its classes stay short (see STYLE.md). */
class ArchitectureTest {

    @Test
    void packages_import_each_other_without_a_cycle() {
        Architecture.assertNoPackageCycles("dev.moat.console");
    }

    @Test
    void no_class_is_longer_than_400_lines_unless_it_says_why_it_is_one_cohesive_thing() {
        Architecture.assertNoLongClasses();
    }
}
