package dev.moat.vault.objects;

import java.io.IOException;
import java.util.Arrays;
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

    /**
     * Opens a backup blob into its document; a blob that is not this installation's, altered, or not a well-formed
     * backup of this type (format 1) is a 400.
     */
    public <D> D open(byte[] blob, Class<D> type, Predicate<D> wellFormed) {
        byte[] plaintext;
        try {
            plaintext = masterKey.openBackup(blob);
        } catch (SealBrokenException e) {
            throw bad(e.getMessage());
        }
        try {
            D document = json.readValue(plaintext, type);
            if (!wellFormed.test(document)) {
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
