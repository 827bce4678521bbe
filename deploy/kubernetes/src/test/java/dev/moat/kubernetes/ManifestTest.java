package dev.moat.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the base and every overlay under {@code deploy/kubernetes}, parses each object with fabric8's typed model
 * (unknown fields refused), and checks the manifests against what the services really do: the ports and health paths
 * of their application.properties, the keys they read (@ConfigMapping sources), the images the build makes, the
 * Secrets the README tells the operator to provide, and every setting {@code deploy/moat} gives the services.
 */
class ManifestTest {

    static TheServices moat;

    @BeforeAll
    static void readTheServices() {
        moat = TheServices.read();
    }

    static Stream<Path> kustomizations() throws IOException {
        Path kubernetes = TheServices.read().kubernetes();
        try (Stream<Path> overlays = Files.list(kubernetes.resolve("overlays"))) {
            return Stream.concat(Stream.of(kubernetes.resolve("base")), overlays.sorted().toList().stream());
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void every_object_parses_with_the_typed_model_and_agrees_with_the_services(Path dir) {
        Rendered rendered = Rendered.of(dir);
        assertThat(rendered.objects()).isNotEmpty();
        ManifestChecks.all(rendered, moat.facts(), moat.version(), moat.readme());
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void every_setting_deploy_moat_gives_the_services_is_expressed(Path dir) {
        ManifestChecks.replicatedStackSettings(Rendered.of(dir), moat.facts());
    }
}
