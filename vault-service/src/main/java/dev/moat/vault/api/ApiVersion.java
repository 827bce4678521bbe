package dev.moat.vault.api;

import java.util.regex.Pattern;

import dev.moat.vault.objects.VaultObjectException;

/**
 * The data plane's {@code api-version}: every version a current Azure SDK sends by default or offers, for secrets,
 * keys and certificates: {@code 2016-10-01}, {@code 7.0} to {@code 7.6} with their {@code -preview.N} forms (which the
 * Python SDK sends), {@code 7.7-preview.N} (offered by the Python SDK), {@code 2025-07-01} (the default of the Java,
 * .NET, Go and Python SDKs and of {@code @azure/keyvault-keys}/{@code -certificates}) and {@code 2026-04-01} (the
 * default of {@code @azure/keyvault-secrets} 4.12). Any other version is refused with Azure's own answer, a
 * {@code 400 BadParameter} "The specified version (x) is not recognized. Consider using the latest supported version
 * (y)." The wire shapes are the same in all of them but for {@code recoverableDays}, which appeared in 7.1.
 */
public record ApiVersion(String value) {

    public static final String LATEST = "2026-04-01";
    private static final Pattern SUPPORTED = Pattern.compile(
            "7\\.[0-6](-preview(\\.[0-9]+)?)?|7\\.7-preview\\.[0-9]+|2016-10-01|2025-07-01|2026-04-01");

    /** @throws VaultObjectException 400 {@code BadParameter} naming the value and the latest version served */
    public static ApiVersion parse(String value) {
        if (value == null || value.isBlank()) {
            throw VaultObjectException.badParameter("The api-version query parameter is missing: the data plane serves "
                    + "api-version 7.0 to 7.6, 2025-07-01 and " + LATEST + " (for example ?api-version=7.5).");
        }
        if (!SUPPORTED.matcher(value).matches()) {
            // Azure's text, word for word: clients show it as it is
            throw VaultObjectException.badParameter("The specified version (" + value + ") is not recognized. Consider "
                    + "using the latest supported version (" + LATEST + ").");
        }
        return new ApiVersion(value);
    }

    /** Whether secret attributes carry {@code recoverableDays} (added in 7.1). */
    public boolean hasRecoverableDays() {
        return !value.startsWith("7.0") && !value.equals("2016-10-01");
    }
}
