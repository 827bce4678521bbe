package dev.moat.vault.objects;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.crypto.SealBrokenException;

/**
 * The backups of one type of vault object: a document of every version, sealed under the master key's backup key.
 * The blob reveals nothing, and only an installation holding the same master key opens it, into any of its vaults.
 */
public final class Backups {

    private static final int FORMAT = 1;

    /** What every type's backup document holds: its format, the object's name, and its versions, oldest first. */
    public interface Document {
        int format();

        String name();

        List<? extends Version> versions();
    }

    /** One version in a backup document. */
    public interface Version {
        String version();
    }

    /** A version that holds a private key: wiped from memory once it is sealed or restored. */
    public interface PrivateVersion extends Version {
        byte[] privateKey();
    }

    private final String noun;
    private final MasterKeyRing masterKey;
    private final ObjectMapper json;

    Backups(String noun, MasterKeyRing masterKey, ObjectMapper json) {
        this.noun = noun;
        this.masterKey = masterKey;
        this.json = json;
    }

    /**
     * A backup document sealed under the master key's backup key: the blob reveals nothing, and only an installation
     * holding the same master key can open it.
     */
    public byte[] seal(Object document, String name) {
        byte[] plaintext = null;
        try {
            plaintext = json.writeValueAsBytes(document);
            return masterKey.sealBackup(plaintext);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the backup of " + noun + " " + name, e);
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    /** {@link #seal}, then wipes the versions' private keys, whether or not sealing succeeded. */
    public byte[] sealThenWipe(Object document, String name, List<? extends PrivateVersion> versions) {
        try {
            return seal(document, name);
        } finally {
            wipe(versions);
        }
    }

    /** Zeroes the private keys of these versions. */
    public static void wipe(List<? extends PrivateVersion> versions) {
        versions.forEach(v -> Arrays.fill(v.privateKey(), (byte) 0));
    }

    /** {@link #open(byte[], Class, Predicate)} for a type whose documents need nothing more. */
    public <D extends Document> D open(byte[] blob, Class<D> type) {
        return open(blob, type, document -> true);
    }

    /**
     * Opens a backup blob into its document; a blob that is not this installation's, altered, or not a well-formed
     * backup of this type (format 1, a name, at least one version, and what {@code wellFormed} asks) is a 400.
     */
    public <D extends Document> D open(byte[] blob, Class<D> type, Predicate<D> wellFormed) {
        byte[] plaintext;
        try {
            plaintext = masterKey.openBackup(blob);
        } catch (SealBrokenException e) {
            throw bad(e.getMessage());
        }
        try {
            D document = json.readValue(plaintext, type);
            if (document.format() != FORMAT || document.name() == null || document.versions() == null
                    || document.versions().isEmpty() || !wellFormed.test(document)) {
                throw bad("it is not a " + noun + " backup of format " + FORMAT);
            }
            return document;
        } catch (IOException e) {
            throw bad("its content is not a " + noun + " backup");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The format of the backups this type writes. */
    public static int format() {
        return FORMAT;
    }

    public VaultObjectException bad(String why) {
        return VaultObjectException.badParameter("Cannot decrypt backup blob: " + why + ". A backup restores only "
                + "into a vault of the installation that made it (the same master key), unaltered.");
    }
}
