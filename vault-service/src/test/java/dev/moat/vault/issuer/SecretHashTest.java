package dev.moat.vault.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretHashTest {

    @Test
    void a_pbkdf2_hash_matches_its_secret_only() {
        String hash = SecretHash.pbkdf2("s3cret", 1000);
        assertThat(hash).startsWith("pbkdf2-sha256:1000:").doesNotContain("s3cret");
        assertThat(SecretHash.matches("s3cret", hash)).isTrue();
        assertThat(SecretHash.matches("s3cret ", hash)).isFalse();
    }

    @Test
    void a_salted_sha256_hash_made_by_a_shell_script_matches() {
        // printf '%s%s' salt1 s3cret-for-tests | sha256sum
        String hash = "sha256:salt1:d1d0a02a3b93dfa7d0bdd2e208e41bd913021f8a95a156b9d8b73966789ebe60";
        assertThat(SecretHash.matches("s3cret-for-tests", hash)).isTrue();
        assertThat(SecretHash.matches("other", hash)).isFalse();
    }

    @Test
    void a_hash_in_neither_form_is_a_configuration_error() {
        assertThatThrownBy(() -> SecretHash.validate("plaintext-secret")).hasMessageContaining("pbkdf2-sha256");
    }
}
