package dev.moat.vault.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * Finds the master key, in this order of authority: the file named by {@code moat.vault.crypto.master-key-file}, else
 * the environment variable {@code MOAT_MASTER_KEY}, else (only with {@code moat.vault.crypto.generate-master-key=true},
 * as the local stack sets it) a file generated once under the data directory. Either source holds the 32 key bytes in
 * base64. With none of them the service refuses to start rather than store secrets under a key nobody chose.
 */
public final class MasterKeyLoader {

    public static final String ENVIRONMENT_VARIABLE = "MOAT_MASTER_KEY";

    private static final Logger LOG = Logger.getLogger(MasterKeyLoader.class);

    private MasterKeyLoader() {
    }

    /**
     * @param file the configured key file, if any
     * @param environment the value of {@code MOAT_MASTER_KEY}, if set
     * @param generate whether a key may be generated when neither is given
     * @param generatedFile where a generated key lives ({@code ${moat.data-dir}/vault/crypto/master.key})
     * @throws IllegalStateException with a message saying what to configure
     */
    public static MasterKey load(Optional<Path> file, Optional<String> environment, boolean generate,
            Path generatedFile) {
        Optional<String> env = environment.filter(v -> !v.isBlank());
        if (file.isPresent() && env.isPresent()) {
            throw new IllegalStateException("Both moat.vault.crypto.master-key-file and the environment variable "
                    + ENVIRONMENT_VARIABLE + " are set: set only one, so that there is no doubt which key protects "
                    + "the secrets.");
        }
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.isReadable(path)) {
                throw new IllegalStateException("moat.vault.crypto.master-key-file: '" + path + "' does not exist or "
                        + "is not readable.");
            }
            warnIfOthersCanRead(path);
            MasterKey key = decode(read(path), "the file '" + path + "' (moat.vault.crypto.master-key-file)");
            LOG.infof("master key %s read from %s", key.id(), path);
            return key;
        }
        if (env.isPresent()) {
            MasterKey key = decode(env.get(), "the environment variable " + ENVIRONMENT_VARIABLE);
            LOG.infof("master key %s read from the environment variable %s", key.id(), ENVIRONMENT_VARIABLE);
            return key;
        }
        if (!generate) {
            throw new IllegalStateException("No master key: secrets are encrypted at rest under a master key that "
                    + "you provide. Set moat.vault.crypto.master-key-file to a file holding 32 random bytes in base64 "
                    + "(for example: head -c 32 /dev/urandom | base64 > master.key; chmod 600 master.key), or the "
                    + "environment variable " + ENVIRONMENT_VARIABLE + " to such a value, or, for local use only, "
                    + "moat.vault.crypto.generate-master-key=true to have one generated in " + generatedFile
                    + (Files.exists(generatedFile) ? " (a generated key already exists there: point "
                            + "moat.vault.crypto.master-key-file at it to keep using it)" : "") + ".");
        }
        if (!Files.exists(generatedFile)) {
            generate(generatedFile);
        }
        warnIfOthersCanRead(generatedFile);
        MasterKey key = decode(read(generatedFile), "the generated file '" + generatedFile + "'");
        LOG.infof("master key %s from %s (generated for local use: keep the data directory private, and back the "
                + "file up with it, or its secrets cannot be read)", key.id(), generatedFile.toAbsolutePath());
        return key;
    }

    /**
     * The primary key as {@link #load} finds it, and beside it the further keys of
     * {@code moat.vault.crypto.additional-master-key-files}, which only open what they wrapped or sealed before.
     *
     * @throws IllegalStateException with a message saying what to configure
     */
    public static MasterKeyRing loadRing(Optional<Path> file, Optional<String> environment, boolean generate,
            Path generatedFile, List<Path> additionalFiles) {
        MasterKey primary = load(file, environment, generate, generatedFile);
        List<MasterKey> others = new ArrayList<>();
        for (Path path : additionalFiles) {
            if (!Files.isReadable(path)) {
                throw new IllegalStateException("moat.vault.crypto.additional-master-key-files: '" + path
                        + "' does not exist or is not readable.");
            }
            warnIfOthersCanRead(path);
            MasterKey key = decode(read(path),
                    "the file '" + path + "' (moat.vault.crypto.additional-master-key-files)");
            if (key.id().equals(primary.id())) {
                throw new IllegalStateException("moat.vault.crypto.additional-master-key-files: '" + path + "' holds "
                        + "the primary master key " + key.id() + " again: list only the other keys.");
            }
            LOG.infof("additional master key %s read from %s (opens data keys and backups, wraps nothing new)",
                    key.id(), path);
            others.add(key);
        }
        try {
            return MasterKeyRing.of(primary, others);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("moat.vault.crypto.additional-master-key-files: " + e.getMessage()
                    + ": list each key once.");
        }
    }

    private static MasterKey decode(String text, String source) {
        byte[] material;
        String trimmed = text.strip();
        try {
            material = trimmed.contains("-") || trimmed.contains("_") ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The master key in " + source + " is not base64 (expected the base64 of "
                    + MasterKey.BYTES + " random bytes).");
        }
        if (material.length != MasterKey.BYTES) {
            throw new IllegalStateException("The master key in " + source + " is " + material.length
                    + " bytes once decoded; it must be exactly " + MasterKey.BYTES + " (256 bits).");
        }
        return MasterKey.of(material);
    }

    /** Writes a new random key to a 0600 file in a 0700 directory, atomically (a half-written key never exists). */
    private static void generate(Path target) {
        byte[] material = new byte[MasterKey.BYTES];
        new SecureRandom().nextBytes(material);
        String encoded = Base64.getEncoder().encodeToString(material) + "\n";
        java.util.Arrays.fill(material, (byte) 0);
        try {
            Path dir = target.toAbsolutePath().getParent();
            if (!Files.exists(dir)) {
                Files.createDirectories(dir);
                setPermissions(dir, "rwx------");
            }
            Path tmp = dir.resolve(target.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, encoded, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
            }
            LOG.warnf("generated a new master key in %s (moat.vault.crypto.generate-master-key=true): fine for local "
                    + "use; elsewhere provide the key through moat.vault.crypto.master-key-file or %s",
                    target.toAbsolutePath(), ENVIRONMENT_VARIABLE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated master key to " + target, e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the master key file " + path, e);
        }
    }

    private static void warnIfOthersCanRead(Path path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warnf("the master key file %s is readable by other users (%s): chmod 600 it", path,
                        PosixFilePermissions.toString(permissions));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static void setPermissions(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
