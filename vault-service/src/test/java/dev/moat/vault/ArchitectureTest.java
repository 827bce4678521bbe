package dev.moat.vault;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.testing.architecture.Architecture;

/** vault-service's packages import each other without a cycle, and its classes stay short (see STYLE.md). */
class ArchitectureTest {

    /**
     * Classes over 400 lines that are known to mix concerns, each with what is to become of it. Shrink this list;
     * never grow it: a new long class says in its first Javadoc line why it is one cohesive thing, or is split.
     */
    private static final Map<String, String> KNOWN_LONG_CLASSES = Map.of(
            "dev/moat/vault/keys/KeyService.java",
            "carries its own copy of the versioned-object lifecycle; shrinks when keys use the shared one",
            "dev/moat/vault/certificates/CertificateService.java",
            "carries its own copy of the versioned-object lifecycle; shrinks when certificates use the shared one",
            "dev/moat/vault/secrets/SecretService.java",
            "carries its own copy of the versioned-object lifecycle; shrinks when secrets use the shared one",
            "dev/moat/vault/api/KeyJson.java",
            "reads key bodies field by field from JSON trees; shrinks when they are records bound by Jackson",
            "dev/moat/vault/events/DecisionSpool.java",
            "file format, replay and back-pressure of the decision-event spool in one class; to be split by concern");

    @Test
    void packages_import_each_other_without_a_cycle() {
        Architecture.assertNoPackageCycles("dev.moat.vault");
    }

    @Test
    void no_class_is_longer_than_400_lines_unless_it_says_why_it_is_one_cohesive_thing() {
        Architecture.assertNoLongClasses(KNOWN_LONG_CLASSES);
    }
}
