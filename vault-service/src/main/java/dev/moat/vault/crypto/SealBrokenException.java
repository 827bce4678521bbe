package dev.moat.vault.crypto;

import java.security.GeneralSecurityException;

/**
 * A sealed value could not be opened: it was altered, moved to another row (its vault, name or version differ from
 * those it was sealed for), or sealed under another key. The message never contains key material or plaintext.
 */
public final class SealBrokenException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    SealBrokenException(String message) {
        super(message);
    }
}
