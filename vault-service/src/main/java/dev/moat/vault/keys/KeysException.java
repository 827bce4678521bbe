package dev.moat.vault.keys;

/**
 * A keys (or certificates) operation refused by a rule, with what Key Vault answers for it: the HTTP status, the
 * error code, a message naming the offending value and the rule (never key material), and the optional inner code.
 */
public final class KeysException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String innerCode;

    public KeysException(int status, String code, String message, String innerCode) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
    }

    public static KeysException badParameter(String message) {
        return new KeysException(400, "BadParameter", message, null);
    }

    public static KeysException forbidden(String message, String innerCode) {
        return new KeysException(403, "Forbidden", message, innerCode);
    }

    public static KeysException notFound(String code, String message) {
        return new KeysException(404, code, message, null);
    }

    public static KeysException conflict(String message, String innerCode) {
        return new KeysException(409, "Conflict", message, innerCode);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The {@code innererror.code}, or null. */
    public String innerCode() {
        return innerCode;
    }
}
