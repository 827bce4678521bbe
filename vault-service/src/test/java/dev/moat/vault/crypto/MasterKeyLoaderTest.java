package dev.moat.vault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyLoaderTest {

    @TempDir
    Path dir;

    private static String randomKeyBase64() {
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        return Base64.getEncoder().encodeToString(material);
    }

    private Path generated() {
        return dir.resolve("data").resolve("vault").resolve("crypto").resolve("master.key");
    }

    @Test
    void reads_the_configured_file() throws Exception {
        String key = randomKeyBase64();
        Path file = Files.writeString(dir.resolve("master.key"), key + "\n");

        MasterKey loaded = MasterKeyLoader.load(Optional.of(file), Optional.empty(), false, generated());

        assertThat(loaded.id()).isEqualTo(MasterKey.of(Base64.getDecoder().decode(key)).id());
        assertThat(generated()).doesNotExist();
    }

    @Test
    void reads_the_environment_variable_in_standard_or_url_safe_base64() {
        String key = randomKeyBase64();
        String id = MasterKey.of(Base64.getDecoder().decode(key)).id();
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(key));

        assertThat(MasterKeyLoader.load(Optional.empty(), Optional.of(key), false, generated()).id()).isEqualTo(id);
        assertThat(MasterKeyLoader.load(Optional.empty(), Optional.of(urlSafe), false, generated()).id()).isEqualTo(id);
    }

    @Test
    void generates_an_owner_only_key_once_when_asked_and_reuses_it() throws Exception {
        MasterKey first = MasterKeyLoader.load(Optional.empty(), Optional.empty(), true, generated());
        MasterKey second = MasterKeyLoader.load(Optional.empty(), Optional.empty(), true, generated());

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(generated()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(generated().getParent())))
                .isEqualTo("rwx------");
        assertThat(Base64.getDecoder().decode(Files.readString(generated()).strip())).hasSize(32);
    }

    @Test
    void refuses_to_start_without_a_key_and_says_what_to_configure() {
        assertThatThrownBy(() -> MasterKeyLoader.load(Optional.empty(), Optional.empty(), false, generated()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No master key")
                .hasMessageContaining("moat.vault.crypto.master-key-file")
                .hasMessageContaining("MOAT_MASTER_KEY")
                .hasMessageContaining("moat.vault.crypto.generate-master-key=true");
        assertThat(generated()).doesNotExist();
    }

    @Test
    void refuses_a_file_and_the_environment_variable_together() throws Exception {
        Path file = Files.writeString(dir.resolve("master.key"), randomKeyBase64());
        assertThatThrownBy(() -> MasterKeyLoader.load(Optional.of(file), Optional.of(randomKeyBase64()), false,
                generated())).isInstanceOf(IllegalStateException.class).hasMessageContaining("set only one");
    }

    @Test
    void refuses_malformed_keys_without_echoing_them() throws Exception {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKeyLoader.load(Optional.empty(), Optional.of(shortKey), false, generated()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("16 bytes")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> MasterKeyLoader.load(Optional.empty(), Optional.of("not*base64!"), false,
                generated())).isInstanceOf(IllegalStateException.class).hasMessageContaining("not base64")
                .hasMessageNotContaining("not*base64!");
        assertThatThrownBy(() -> MasterKeyLoader.load(Optional.of(dir.resolve("missing.key")), Optional.empty(),
                false, generated())).isInstanceOf(IllegalStateException.class).hasMessageContaining("does not exist");
    }
}
