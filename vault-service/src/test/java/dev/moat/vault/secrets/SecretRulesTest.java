package dev.moat.vault.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.moat.vault.objects.Recovery;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.vaults.VaultProperties;

/** Azure's limits on secrets, one row per rule. */
class SecretRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "db-password", "A1-b2-C3", "-", "0123456789"})
    void accepts_names_of_letters_digits_and_dashes(String name) {
        assertThat(SecretRules.nameKey(name)).isEqualTo(name.toLowerCase());
    }

    @Test
    void accepts_a_name_of_127_characters() {
        assertThatCode(() -> SecretRules.nameKey("a".repeat(127))).doesNotThrowAnyException();
    }

    static Stream<Arguments> badNames() {
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of("a".repeat(128), "128 characters"),
                Arguments.of("db_password", "underscore"),
                Arguments.of("db.password", "dot"),
                Arguments.of("db password", "space"),
                Arguments.of("pässword", "non-ASCII letter"),
                Arguments.of("a/b", "slash"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badNames")
    void refuses_other_names_naming_the_value_and_the_rule(String name, String why) {
        assertThatThrownBy(() -> SecretRules.nameKey(name))
                .isInstanceOfSatisfying(VaultObjectException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("BadParameter");
                })
                .hasMessageContaining("Invalid secret name '" + SecretRules.shown(name) + "'")
                .hasMessageContaining("^[0-9a-zA-Z-]{1,127}$");
    }

    static Stream<Arguments> valueSizes() {
        return Stream.of(
                Arguments.of("x".repeat(25_600), true, "25,600 ASCII bytes"),
                Arguments.of("x".repeat(25_601), false, "25,601 ASCII bytes"),
                Arguments.of("€".repeat(8_533), true, "8,533 euro signs = 25,599 UTF-8 bytes"),
                Arguments.of("€".repeat(8_534), false, "8,534 euro signs = 25,602 UTF-8 bytes"),
                Arguments.of("", true, "empty"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("valueSizes")
    void a_value_is_at_most_25_600_bytes_of_utf_8(String value, boolean accepted, String why) {
        if (accepted) {
            assertThat(SecretRules.value(value)).hasSizeLessThanOrEqualTo(25_600);
        } else {
            assertThatThrownBy(() -> SecretRules.value(value)).isInstanceOf(VaultObjectException.class)
                    .hasMessageContaining("at most 25600 bytes")
                    .hasMessageNotContaining(value.substring(0, 10));
        }
    }

    @Test
    void a_value_is_required() {
        assertThatThrownBy(() -> SecretRules.value(null)).isInstanceOf(VaultObjectException.class)
                .hasMessageContaining("'value'");
    }

    @Test
    void a_content_type_is_at_most_255_characters() {
        assertThatCode(() -> SecretRules.contentType("t".repeat(255))).doesNotThrowAnyException();
        assertThatThrownBy(() -> SecretRules.contentType("t".repeat(256))).isInstanceOf(VaultObjectException.class)
                .hasMessageContaining("256 characters").hasMessageContaining("at most 255");
    }

    static Map<String, String> tags(int count) {
        Map<String, String> tags = new LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> tags.put("tag" + i, "v"));
        return tags;
    }

    static Stream<Arguments> tagRules() {
        return Stream.of(
                Arguments.of(tags(15), null),
                Arguments.of(tags(16), "16 tags; a secret has at most 15 tags"),
                Arguments.of(Map.of("n".repeat(512), "v"), null),
                Arguments.of(Map.of("n".repeat(513), "v"), "is 513 characters; a tag name is 1 to 512"),
                Arguments.of(Map.of("", "v"), "a tag name is 1 to 512"),
                Arguments.of(Map.of("env", "v".repeat(256)), null),
                Arguments.of(Map.of("env", "v".repeat(257)), "The value of tag 'env' is 257 characters"));
    }

    @ParameterizedTest
    @MethodSource("tagRules")
    void tags_follow_azures_limits(Map<String, String> tags, String refusal) {
        if (refusal == null) {
            assertThatCode(() -> SecretRules.tags(tags)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> SecretRules.tags(tags)).isInstanceOf(VaultObjectException.class)
                    .hasMessageContaining(refusal);
        }
    }

    @Test
    void a_secret_expires_after_it_becomes_valid() {
        assertThatCode(() -> SecretRules.validityPeriod(100L, 101L)).doesNotThrowAnyException();
        assertThatCode(() -> SecretRules.validityPeriod(null, 101L)).doesNotThrowAnyException();
        assertThatThrownBy(() -> SecretRules.validityPeriod(100L, 100L)).isInstanceOf(VaultObjectException.class)
                .hasMessageContaining("attributes.exp (100) is not after attributes.nbf (100)");
    }

    @Test
    void versions_are_32_hexadecimal_characters() {
        assertThat(SecretRules.version("0123456789ABCDEF0123456789abcdef"))
                .isEqualTo("0123456789abcdef0123456789abcdef");
        for (String bad : List.of("latest", "0123", "g123456789abcdef0123456789abcdef")) {
            assertThatThrownBy(() -> SecretRules.version(bad)).isInstanceOf(VaultObjectException.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("32 hexadecimal characters");
        }
    }

    static Stream<Arguments> recoveryLevels() {
        return Stream.of(
                Arguments.of(true, 90, null, "Recoverable+Purgeable", 90),
                Arguments.of(true, 7, false, "CustomizedRecoverable+Purgeable", 7),
                Arguments.of(true, 90, true, "Recoverable", 90),
                Arguments.of(true, 30, true, "CustomizedRecoverable", 30),
                Arguments.of(false, 90, null, "Purgeable", 0));
    }

    @ParameterizedTest
    @MethodSource("recoveryLevels")
    void the_recovery_level_follows_the_vaults_soft_delete_settings(boolean softDelete, int days,
            Boolean purgeProtection, String level, int recoverableDays) {
        Recovery recovery = Recovery.of(new VaultProperties("t", "A", "standard", List.of(), softDelete, days,
                purgeProtection, false, "Enabled", false, false, false));
        assertThat(recovery.level()).isEqualTo(level);
        assertThat(recovery.days()).isEqualTo(recoverableDays);
    }
}
