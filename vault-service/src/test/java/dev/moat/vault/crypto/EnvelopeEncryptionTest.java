package dev.moat.vault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeEncryptionTest {

    private static final byte[] VALUE = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    private static final String VERSION = "0123456789abcdef0123456789abcdef";

    static MasterKey randomMasterKey() {
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        return MasterKey.of(material);
    }

    @Test
    void a_sealed_value_opens_for_the_place_it_was_sealed_for() throws Exception {
        DataKey key = DataKey.generate();
        byte[] sealed = key.sealSecret("vault1", "db-password", VERSION, VALUE);

        assertThat(key.openSecret("vault1", "db-password", VERSION, sealed)).isEqualTo(VALUE);
        assertThat(sealed).hasSize(VALUE.length + 28);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("horse");
    }

    @Test
    void every_seal_uses_a_fresh_nonce_so_equal_values_never_look_equal() {
        DataKey key = DataKey.generate();
        byte[] first = key.sealSecret("vault1", "a", VERSION, VALUE);
        byte[] second = key.sealSecret("vault1", "a", VERSION, VALUE);

        assertThat(Arrays.copyOf(first, 12)).isNotEqualTo(Arrays.copyOf(second, 12));
        assertThat(first).isNotEqualTo(second);
    }

    static Stream<Arguments> otherPlaces() {
        return Stream.of(
                Arguments.of("another vault", "vault2", "db-password", VERSION),
                Arguments.of("another secret", "vault1", "api-key", VERSION),
                Arguments.of("another version", "vault1", "db-password", "fedcba9876543210fedcba9876543210"),
                // the length prefixes keep ("vault1", "db-password") apart from ("vault1d", "b-password")
                Arguments.of("shifted boundaries", "vault1d", "b-password", VERSION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherPlaces")
    void a_row_moved_to_another_place_does_not_open(String why, String vault, String name, String version) {
        DataKey key = DataKey.generate();
        byte[] sealed = key.sealSecret("vault1", "db-password", VERSION, VALUE);

        assertThatThrownBy(() -> key.openSecret(vault, name, version, sealed))
                .isInstanceOf(SealBrokenException.class)
                .hasMessageNotContaining("horse");
    }

    @Test
    void any_altered_byte_is_detected() {
        DataKey key = DataKey.generate();
        byte[] sealed = key.sealSecret("vault1", "db-password", VERSION, VALUE);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> key.openSecret("vault1", "db-password", VERSION, tampered))
                    .as("byte %d flipped", i).isInstanceOf(SealBrokenException.class);
        }
        assertThatThrownBy(() -> key.openSecret("vault1", "db-password", VERSION, Arrays.copyOf(sealed, 20)))
                .isInstanceOf(SealBrokenException.class);
    }

    @Test
    void another_vaults_data_key_cannot_open_a_value() {
        byte[] sealed = DataKey.generate().sealSecret("vault1", "db-password", VERSION, VALUE);

        assertThatThrownBy(() -> DataKey.generate().openSecret("vault1", "db-password", VERSION, sealed))
                .isInstanceOf(SealBrokenException.class);
    }

    @Test
    void a_wrapped_data_key_opens_only_for_its_vault_and_under_its_master_key() throws Exception {
        MasterKey master = randomMasterKey();
        DataKey key = DataKey.generate();
        byte[] sealed = key.sealSecret("vault1", "db-password", VERSION, VALUE);
        byte[] wrapped = master.wrap(key, "vault1");

        assertThat(wrapped).hasSize(32 + 28);
        assertThat(master.unwrap(wrapped, "vault1").openSecret("vault1", "db-password", VERSION, sealed))
                .isEqualTo(VALUE);
        assertThatThrownBy(() -> master.unwrap(wrapped, "vault2")).isInstanceOf(SealBrokenException.class);
        assertThatThrownBy(() -> randomMasterKey().unwrap(wrapped, "vault1")).isInstanceOf(SealBrokenException.class);
    }

    @Test
    void the_same_master_key_material_gives_the_same_id_and_opens_what_it_wrapped() throws Exception {
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        MasterKey first = MasterKey.of(material.clone());
        MasterKey again = MasterKey.of(material.clone());
        DataKey key = DataKey.generate();

        assertThat(again.id()).isEqualTo(first.id()).matches("[0-9a-f]{16}");
        assertThat(randomMasterKey().id()).isNotEqualTo(first.id());
        assertThat(again.unwrap(first.wrap(key, "v"), "v").openSecret("v", "n", VERSION,
                key.sealSecret("v", "n", VERSION, VALUE))).isEqualTo(VALUE);
    }

    @Test
    void a_backup_opens_only_in_the_installation_that_made_it_and_only_unaltered() throws Exception {
        MasterKey master = randomMasterKey();
        byte[] blob = master.sealBackup(VALUE);

        assertThat(master.openBackup(blob)).isEqualTo(VALUE);
        assertThat(new String(blob, StandardCharsets.ISO_8859_1)).doesNotContain("horse");
        assertThatThrownBy(() -> randomMasterKey().openBackup(blob))
                .isInstanceOf(SealBrokenException.class).hasMessageContaining("another installation");
        byte[] tampered = blob.clone();
        tampered[tampered.length - 1] ^= 0x01;
        assertThatThrownBy(() -> master.openBackup(tampered)).isInstanceOf(SealBrokenException.class);
        assertThatThrownBy(() -> master.openBackup("not a backup".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SealBrokenException.class).hasMessageContaining("not a Moat backup");
    }

    @Test
    void keys_never_show_their_material() {
        MasterKey master = randomMasterKey();
        assertThat(master.toString()).isEqualTo("MasterKey[id=" + master.id() + "]");
        assertThat(DataKey.generate().toString()).isEqualTo("DataKey[redacted]");
    }

    @Test
    void a_master_key_is_exactly_256_bits() {
        assertThatThrownBy(() -> MasterKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly 32 bytes");
    }
}
