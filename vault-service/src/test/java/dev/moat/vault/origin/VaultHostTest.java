package dev.moat.vault.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VaultHostTest {

    private final VaultHost hosts = new VaultHost("vault.localhost");

    static Stream<Arguments> hosts() {
        return Stream.of(
                Arguments.of("myvault.vault.localhost:8443", Optional.of("myvault")),
                Arguments.of("myvault.vault.localhost", Optional.of("myvault")),
                Arguments.of("MyVault.Vault.LocalHost:8443", Optional.of("myvault")),
                Arguments.of("my-vault-01.vault.localhost", Optional.of("my-vault-01")),
                Arguments.of("vault.localhost:8443", Optional.empty()),
                Arguments.of("localhost:8443", Optional.empty()),
                Arguments.of("a.b.vault.localhost", Optional.empty()),
                Arguments.of("ab.vault.localhost", Optional.empty()),
                Arguments.of("1vault.vault.localhost", Optional.empty()),
                Arguments.of("vault-.vault.localhost", Optional.empty()),
                Arguments.of("abcdefghijklmnopqrstuvwxy.vault.localhost", Optional.empty()),
                Arguments.of("myvault.vault.localhost.evil.com", Optional.empty()),
                Arguments.of("myvaultvault.localhost", Optional.empty()),
                Arguments.of(null, Optional.empty()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("hosts")
    void routes_a_host_header_to_its_vault_only_under_the_dns_suffix(String host, Optional<String> vault) {
        assertThat(hosts.vaultOf(host)).isEqualTo(vault);
    }
}
