package dev.moat.vault.certificates;

/**
 * Key Vault's certificate operation ({@code /certificates/{name}/pending}): {@code inProgress} while the certificate is
 * made, then {@code completed} or {@code failed} (with Key Vault's error code and message).
 */
public record PendingCertificate(String name, String requestId, String status, String statusDetails, String errorCode,
        String errorMessage, String issuerName) {
}
