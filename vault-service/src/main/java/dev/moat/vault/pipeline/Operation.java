package dev.moat.vault.pipeline;

import dev.moat.vault.access.PermissionCategory;

/**
 * The data-plane operations of the built-in object types (secrets, keys, certificates) with the access-policy
 * permission each needs. The name is what events and the firewall's {@code CheckRequest.operation} carry. Another
 * type brings its own {@link DataPlaneOperation}s.
 */
public enum Operation implements DataPlaneOperation {
    SECRET_GET("SecretGet", PermissionCategory.SECRETS, "get"),
    SECRET_LIST("SecretList", PermissionCategory.SECRETS, "list"),
    SECRET_LIST_VERSIONS("SecretListVersions", PermissionCategory.SECRETS, "list"),
    SECRET_SET("SecretSet", PermissionCategory.SECRETS, "set"),
    SECRET_UPDATE("SecretUpdate", PermissionCategory.SECRETS, "set"),
    SECRET_DELETE("SecretDelete", PermissionCategory.SECRETS, "delete"),
    SECRET_BACKUP("SecretBackup", PermissionCategory.SECRETS, "backup"),
    SECRET_RESTORE("SecretRestore", PermissionCategory.SECRETS, "restore"),
    SECRET_RECOVER("SecretRecover", PermissionCategory.SECRETS, "recover"),
    SECRET_PURGE("SecretPurge", PermissionCategory.SECRETS, "purge"),
    SECRET_LIST_DELETED("SecretListDeleted", PermissionCategory.SECRETS, "list"),
    SECRET_GET_DELETED("SecretGetDeleted", PermissionCategory.SECRETS, "get"),
    KEY_GET("KeyGet", PermissionCategory.KEYS, "get"),
    KEY_LIST("KeyList", PermissionCategory.KEYS, "list"),
    KEY_CREATE("KeyCreate", PermissionCategory.KEYS, "create"),
    KEY_IMPORT("KeyImport", PermissionCategory.KEYS, "import"),
    KEY_UPDATE("KeyUpdate", PermissionCategory.KEYS, "update"),
    KEY_DELETE("KeyDelete", PermissionCategory.KEYS, "delete"),
    KEY_ENCRYPT("KeyEncrypt", PermissionCategory.KEYS, "encrypt"),
    KEY_DECRYPT("KeyDecrypt", PermissionCategory.KEYS, "decrypt"),
    KEY_WRAP("KeyWrap", PermissionCategory.KEYS, "wrapKey"),
    KEY_UNWRAP("KeyUnwrap", PermissionCategory.KEYS, "unwrapKey"),
    KEY_SIGN("KeySign", PermissionCategory.KEYS, "sign"),
    KEY_VERIFY("KeyVerify", PermissionCategory.KEYS, "verify"),
    KEY_BACKUP("KeyBackup", PermissionCategory.KEYS, "backup"),
    KEY_RESTORE("KeyRestore", PermissionCategory.KEYS, "restore"),
    KEY_RECOVER("KeyRecover", PermissionCategory.KEYS, "recover"),
    KEY_PURGE("KeyPurge", PermissionCategory.KEYS, "purge"),
    KEY_ROTATE("KeyRotate", PermissionCategory.KEYS, "rotate"),
    KEY_LIST_VERSIONS("KeyListVersions", PermissionCategory.KEYS, "list"),
    KEY_LIST_DELETED("KeyListDeleted", PermissionCategory.KEYS, "list"),
    KEY_GET_DELETED("KeyGetDeleted", PermissionCategory.KEYS, "get"),
    KEY_ROTATION_POLICY_GET("KeyRotationPolicyGet", PermissionCategory.KEYS, "getrotationpolicy"),
    KEY_ROTATION_POLICY_SET("KeyRotationPolicySet", PermissionCategory.KEYS, "setrotationpolicy"),
    CERTIFICATE_GET("CertificateGet", PermissionCategory.CERTIFICATES, "get"),
    CERTIFICATE_LIST("CertificateList", PermissionCategory.CERTIFICATES, "list"),
    CERTIFICATE_CREATE("CertificateCreate", PermissionCategory.CERTIFICATES, "create"),
    CERTIFICATE_IMPORT("CertificateImport", PermissionCategory.CERTIFICATES, "import"),
    CERTIFICATE_UPDATE("CertificateUpdate", PermissionCategory.CERTIFICATES, "update"),
    CERTIFICATE_DELETE("CertificateDelete", PermissionCategory.CERTIFICATES, "delete"),
    CERTIFICATE_RECOVER("CertificateRecover", PermissionCategory.CERTIFICATES, "recover"),
    CERTIFICATE_PURGE("CertificatePurge", PermissionCategory.CERTIFICATES, "purge"),
    CERTIFICATE_LIST_VERSIONS("CertificateListVersions", PermissionCategory.CERTIFICATES, "list"),
    CERTIFICATE_LIST_DELETED("CertificateListDeleted", PermissionCategory.CERTIFICATES, "list"),
    CERTIFICATE_GET_DELETED("CertificateGetDeleted", PermissionCategory.CERTIFICATES, "get"),
    CERTIFICATE_BACKUP("CertificateBackup", PermissionCategory.CERTIFICATES, "backup"),
    CERTIFICATE_RESTORE("CertificateRestore", PermissionCategory.CERTIFICATES, "restore"),
    CERTIFICATE_POLICY_GET("CertificatePolicyGet", PermissionCategory.CERTIFICATES, "get"),
    CERTIFICATE_POLICY_UPDATE("CertificatePolicySet", PermissionCategory.CERTIFICATES, "update"),
    CERTIFICATE_PENDING_GET("CertificatePendingGet", PermissionCategory.CERTIFICATES, "get"),
    CERTIFICATE_CONTACTS_GET("CertificateContactsGet", PermissionCategory.CERTIFICATES, "managecontacts"),
    CERTIFICATE_CONTACTS_SET("CertificateContactsSet", PermissionCategory.CERTIFICATES, "managecontacts"),
    CERTIFICATE_CONTACTS_DELETE("CertificateContactsDelete", PermissionCategory.CERTIFICATES, "managecontacts"),
    CERTIFICATE_ISSUER_GET("CertificateIssuerGet", PermissionCategory.CERTIFICATES, "getissuers"),
    CERTIFICATE_ISSUER_LIST("CertificateIssuerList", PermissionCategory.CERTIFICATES, "listissuers"),
    CERTIFICATE_ISSUER_SET("CertificateIssuerSet", PermissionCategory.CERTIFICATES, "setissuers"),
    CERTIFICATE_ISSUER_DELETE("CertificateIssuerDelete", PermissionCategory.CERTIFICATES, "deleteissuers"),
    /**
     * A request on a vault host that matches no operation. It still passes the token and the firewall and gets its
     * decision event (with an empty operation name); no access policy applies, as nothing of the vault is touched.
     */
    UNRECOGNISED("", null, null);

    private final String operationName;
    private final PermissionCategory category;
    private final String permission;

    Operation(String operationName, PermissionCategory category, String permission) {
        this.operationName = operationName;
        this.category = category;
        this.permission = permission;
    }

    @Override
    public String operationName() {
        return operationName;
    }

    @Override
    public PermissionCategory category() {
        return category;
    }

    /** The permission name; null for {@link #UNRECOGNISED}. */
    @Override
    public String permission() {
        return permission;
    }
}
