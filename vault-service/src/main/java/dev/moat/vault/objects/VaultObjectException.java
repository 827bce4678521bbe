package dev.moat.vault.objects;

/**
 * An operation on a vault object (secret, key or certificate) refused by a rule, with what Key Vault answers for it:
 * the HTTP status, the error code, a message naming the offending value and the rule (never a secret's value or key
 * material), and the optional inner code. The edge turns it into Key Vault's error JSON.
 */
public final class VaultObjectException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String innerCode;

    public VaultObjectException(int status, String code, String message, String innerCode) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
    }

    public static VaultObjectException badParameter(String message) {
        return new VaultObjectException(400, "BadParameter", message, null);
    }

    public static VaultObjectException forbidden(String message, String innerCode) {
        return new VaultObjectException(403, "Forbidden", message, innerCode);
    }

    public static VaultObjectException notFound(String code, String message) {
        return new VaultObjectException(404, code, message, null);
    }

    public static VaultObjectException conflict(String message, String innerCode) {
        return new VaultObjectException(409, "Conflict", message, innerCode);
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
