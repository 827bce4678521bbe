package dev.moat.kubernetes;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checks of {@link ManifestTest} can fail: each fixture under {@code src/test/resources/broken} is the real base
 * with one mistake, and rendering and checking it must fail, naming the mistake.
 */
class BrokenManifestTest {

    static TheServices moat;

    @BeforeAll
    static void readTheServices() {
        moat = TheServices.read();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown-field          | StatefulSet/vault-service.spec.template.spec.containers[0].readinessProbe.initialDelay
            port-nobody-listens-on | Service policy-service port
            wrong-probe-path       | audit-service liveness path
            grpc-open-to-all       | only vault-service reaches gRPC
            health-on-the-data-plane-port | vault-service readiness port
            management-port-exposed       | Service audit-service port management exposes audit-service's management interface
            """)
    void a_broken_manifest_fails_the_checks(String fixture, String named) {
        Path dir = moat.kubernetes().resolve("src/test/resources/broken").resolve(fixture);
        assertThatThrownBy(() -> ManifestChecks.all(Rendered.of(dir), moat.facts(), moat.version(), moat.readme()))
                .hasMessageContaining(named);
    }
}
