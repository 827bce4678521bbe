package dev.moat.vault.crypto;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.moat.vault.config.VaultConfig;
import io.quarkus.runtime.Startup;

/** Loads the master keys while the service starts, so that a missing or malformed key stops the start at once. */
@Dependent
public class MasterKeyProducer {

    /** Where {@code moat.vault.crypto.generate-master-key=true} keeps the generated key. */
    public static Path generatedKeyFile(String dataDir) {
        return Path.of(dataDir, "vault", "crypto", "master.key");
    }

    @Produces
    @Singleton
    @Startup
    MasterKeyRing masterKeys(VaultConfig config, @ConfigProperty(name = "moat.data-dir") String dataDir) {
        return MasterKeyLoader.loadRing(config.crypto().masterKeyFile().map(Path::of),
                Optional.ofNullable(System.getenv(MasterKeyLoader.ENVIRONMENT_VARIABLE)),
                config.crypto().generateMasterKey(), generatedKeyFile(dataDir),
                config.crypto().additionalMasterKeyFiles().orElse(List.of()).stream().map(Path::of).toList());
    }
}
