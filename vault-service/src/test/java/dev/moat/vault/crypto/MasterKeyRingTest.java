package dev.moat.vault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master keys of a rotation: the primary wraps and seals, every key held opens what it wrapped or sealed, and a
 * key that is no longer held opens nothing (with a message naming it, never key material).
 */
class MasterKeyRingTest {

    private static final byte[] VALUE = "backup content".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void the_primary_wraps_and_every_key_held_unwraps_what_it_wrapped() throws Exception {
        MasterKey old = EnvelopeEncryptionTest.randomMasterKey();
        MasterKey next = EnvelopeEncryptionTest.randomMasterKey();
        DataKey dataKey = DataKey.generate();
        byte[] sealed = dataKey.sealSecret("v1", "s", "1", VALUE);

        MasterKeyRing.Wrapped underOld = MasterKeyRing.of(old).wrap(dataKey, "v1");
        MasterKeyRing rotated = MasterKeyRing.of(next, List.of(old));
        MasterKeyRing.Wrapped underNext = rotated.wrap(dataKey, "v1");

        assertThat(underOld.masterKeyId()).isEqualTo(old.id());
        assertThat(underNext.masterKeyId()).isEqualTo(next.id());
        assertThat(rotated.ids()).containsExactly(next.id(), old.id());
        for (MasterKeyRing.Wrapped wrapped : List.of(underOld, underNext)) {
            DataKey opened = rotated.unwrap(wrapped.masterKeyId(), wrapped.key(), "v1");
            assertThat(opened.openSecret("v1", "s", "1", sealed)).isEqualTo(VALUE);
        }
        assertThatThrownBy(() -> MasterKeyRing.of(next).unwrap(old.id(), underOld.key(), "v1"))
                .isInstanceOf(SealBrokenException.class).hasMessageContaining(old.id())
                .hasMessageContaining("does not hold");
        assertThatThrownBy(() -> rotated.unwrap(next.id(), underOld.key(), "v1"))
                .as("a wrap under one key does not open as if it were under another")
                .isInstanceOf(SealBrokenException.class);
    }

    @Test
    void an_opened_data_key_is_remembered_by_exactly_what_was_opened() throws Exception {
        MasterKey old = EnvelopeEncryptionTest.randomMasterKey();
        MasterKey next = EnvelopeEncryptionTest.randomMasterKey();
        MasterKeyRing ring = MasterKeyRing.of(next, List.of(old));
        DataKey dataKey = DataKey.generate();
        byte[] sealed = dataKey.sealSecret("v1", "s", "1", VALUE);
        MasterKeyRing.Wrapped underOld = MasterKeyRing.of(old).wrap(dataKey, "v1");

        byte[] read = underOld.key().clone();
        DataKey first = ring.unwrap(underOld.masterKeyId(), read, "v1");
        read[0] ^= 1;
        assertThat(ring.unwrap(underOld.masterKeyId(), underOld.key().clone(), "v1"))
                .as("the same stored wrap, read again, is not opened again (and the caller's array was copied)")
                .isSameAs(first);
        assertThat(ring.openedKeys()).isEqualTo(1);

        MasterKeyRing.Wrapped rewrapped = ring.wrap(first, "v1");
        DataKey afterRewrap = ring.unwrap(rewrapped.masterKeyId(), rewrapped.key(), "v1");
        assertThat(afterRewrap).as("a re-wrap is another entry").isNotSameAs(first);
        assertThat(afterRewrap.openSecret("v1", "s", "1", sealed)).isEqualTo(VALUE);
        assertThat(ring.openedKeys()).isEqualTo(2);

        byte[] altered = underOld.key().clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> ring.unwrap(underOld.masterKeyId(), altered, "v1"))
                .as("an altered wrap is opened, and refused, not answered from what was remembered")
                .isInstanceOf(SealBrokenException.class);
        assertThatThrownBy(() -> ring.unwrap(underOld.masterKeyId(), underOld.key(), "v2"))
                .as("the wrap stays bound to its vault").isInstanceOf(SealBrokenException.class);
        assertThatThrownBy(() -> ring.unwrap(next.id(), underOld.key(), "v1"))
                .as("and to the key it was wrapped under").isInstanceOf(SealBrokenException.class);
        assertThat(ring.openedKeys()).as("nothing that failed to open is remembered").isEqualTo(2);
    }

    @Test
    void backups_sealed_before_a_rotation_restore_while_the_old_key_is_held_and_not_after() throws Exception {
        MasterKey old = EnvelopeEncryptionTest.randomMasterKey();
        MasterKey next = EnvelopeEncryptionTest.randomMasterKey();
        byte[] before = MasterKeyRing.of(old).sealBackup(VALUE);
        MasterKeyRing rotated = MasterKeyRing.of(next, List.of(old));
        byte[] after = rotated.sealBackup(VALUE);

        assertThat(rotated.openBackup(before)).isEqualTo(VALUE);
        assertThat(rotated.openBackup(after)).isEqualTo(VALUE);
        assertThat(MasterKey.sealedBy(after)).as("new backups are sealed under the primary").isEqualTo(next.id());
        assertThatThrownBy(() -> MasterKeyRing.of(next).openBackup(before)).isInstanceOf(SealBrokenException.class)
                .hasMessageContaining(old.id()).hasMessageContaining("removed");
    }

    @Test
    void the_loader_reads_additional_keys_beside_the_primary_and_refuses_a_key_given_twice() throws Exception {
        Path primary = keyFile("primary.key");
        Path other = keyFile("other.key");
        MasterKeyRing ring = MasterKeyLoader.loadRing(Optional.of(primary), Optional.empty(), false,
                dir.resolve("generated.key"), List.of(other));
        assertThat(ring.primaryId()).isEqualTo(idOf(primary));
        assertThat(ring.ids()).containsExactly(idOf(primary), idOf(other));

        assertThat(MasterKeyLoader.loadRing(Optional.of(primary), Optional.empty(), false,
                dir.resolve("generated.key"), List.of()).ids()).as("one key is a ring of one")
                .containsExactly(idOf(primary));
        assertThatThrownBy(() -> MasterKeyLoader.loadRing(Optional.of(primary), Optional.empty(), false,
                dir.resolve("generated.key"), List.of(primary))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds the primary master key");
        assertThatThrownBy(() -> MasterKeyLoader.loadRing(Optional.of(primary), Optional.empty(), false,
                dir.resolve("generated.key"), List.of(other, other))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configured twice");
        assertThatThrownBy(() -> MasterKeyLoader.loadRing(Optional.of(primary), Optional.empty(), false,
                dir.resolve("generated.key"), List.of(dir.resolve("missing.key"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("additional-master-key-files")
                .hasMessageContaining("missing.key");
    }

    private Path keyFile(String name) throws Exception {
        byte[] material = new byte[MasterKey.BYTES];
        new SecureRandom().nextBytes(material);
        return Files.writeString(dir.resolve(name), Base64.getEncoder().encodeToString(material));
    }

    private static String idOf(Path file) throws Exception {
        return MasterKey.of(Base64.getDecoder().decode(Files.readString(file).strip())).id();
    }
}
