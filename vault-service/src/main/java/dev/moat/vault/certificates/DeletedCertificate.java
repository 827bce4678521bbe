package dev.moat.vault.certificates;

/** A soft-deleted certificate with its latest version; the dates are null when the vault purged it at once. */
public record DeletedCertificate(CertificateBundle certificate, Long deletedDate, Long scheduledPurgeDate) {
}
