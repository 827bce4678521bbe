package dev.moat.vault.keys;

import java.time.Clock;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.moat.vault.keys.KeyCrypto.EncryptionAlgorithm;
import dev.moat.vault.keys.KeyCrypto.SignatureAlgorithm;
import dev.moat.vault.keys.KeyRepository.KeyRow;
import dev.moat.vault.keys.KeyRepository.VersionRow;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.vaults.Vault;

/**
 * The cryptography done with stored keys: encrypt, decrypt, wrapKey, unwrapKey, sign and verify. Each checks the
 * key's {@code key_ops}, {@code enabled}, {@code nbf} and {@code exp} before it touches the key; a private key is
 * opened only inside an operation that needs it (decrypt, unwrapKey, sign), and zeroed after; encrypt, wrapKey and
 * verify use the public key.
 */
@ApplicationScoped
public class KeyCryptography {

    private final KeyService keys;
    private final Clock clock;

    @Inject
    public KeyCryptography(KeyService keys) {
        this(keys, Clock.systemUTC());
    }

    KeyCryptography(KeyService keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * encrypt, decrypt, wrapKey or unwrapKey with an RSA algorithm.
     *
     * @param caller the caller as Key Vault names it ({@code appid=…;oid=…;iss=…}), for the refusal by {@code key_ops}
     */
    public CryptoResult cipher(Vault vault, String name, String version, KeyOperation operation, String alg,
            byte[] value, String caller) {
        EncryptionAlgorithm algorithm = EncryptionAlgorithm.of(alg);
        return withKey(vault, name, version, operation, caller, (material, bundle) -> {
            byte[] out = switch (operation) {
                case ENCRYPT, WRAP_KEY -> KeyCrypto.encrypt(material, algorithm, value);
                case DECRYPT, UNWRAP_KEY -> KeyCrypto.decrypt(material, algorithm, value);
                default -> throw new IllegalArgumentException(operation + " is not a cipher operation");
            };
            return new CryptoResult(bundle.name(), bundle.version(), out);
        });
    }

    /** Signs a digest the client computed; ECDSA signatures are raw {@code r||s}. */
    public CryptoResult sign(Vault vault, String name, String version, String alg, byte[] digest, String caller) {
        SignatureAlgorithm algorithm = SignatureAlgorithm.of(alg);
        return withKey(vault, name, version, KeyOperation.SIGN, caller, (material, bundle) -> new CryptoResult(bundle.name(),
                bundle.version(), KeyCrypto.sign(material, algorithm, digest)));
    }

    public boolean verify(Vault vault, String name, String version, String alg, byte[] digest, byte[] signature,
            String caller) {
        SignatureAlgorithm algorithm = SignatureAlgorithm.of(alg);
        return withKey(vault, name, version, KeyOperation.VERIFY, caller,
                (material, bundle) -> KeyCrypto.verify(material, algorithm, digest, signature));
    }

    @FunctionalInterface
    private interface KeyWork<T> {
        T run(KeyMaterial material, KeyBundle bundle);
    }

    /**
     * Runs an operation with a key version after the checks Key Vault makes: the operation is in its
     * {@code key_ops}, it is enabled, valid ({@code nbf}) and, for operations that protect new data, not expired.
     */
    private <T> T withKey(Vault vault, String name, String version, KeyOperation operation, String caller,
            KeyWork<T> work) {
        String key = KeyRules.nameKey(name, "key");
        String wanted = version == null ? null : KeyRules.version(version, "key");
        long now = clock.instant().getEpochSecond();
        return keys.lifecycle().inTransaction(c -> {
            var found = keys.lifecycle().liveVersion(c, vault.name(), key, wanted, name);
            KeyRow row = found.object();
            VersionRow v = found.version();
            KeyBundle bundle = keys.bundle(row, v);
            if (!KeyOperation.split(v.keyOps()).contains(operation)) {
                throw VaultObjectException.forbidden("Operation is not allowed.\r\nOperation: \"" + operation.jwkName()
                        + "\"\r\nCaller: " + caller + "\r\nKey: " + row.name() + "/" + v.version() + " (key_ops: "
                        + v.keyOps().replace(",", ", ") + ")\r\nVault: " + vault.name() + ";location="
                        + vault.location(), "ForbiddenByPolicy");
            }
            if (!v.enabled()) {
                throw VaultObjectException.forbidden("Operation " + operation.jwkName() + " is not allowed on a disabled "
                        + "key.", "KeyDisabled");
            }
            if (v.notBefore() != null && now < v.notBefore()) {
                throw VaultObjectException.forbidden("Operation " + operation.jwkName() + " is not allowed on a key that is "
                        + "not yet valid (nbf " + v.notBefore() + " is in the future).", "KeyNotYetValid");
            }
            boolean protectsNewData = operation == KeyOperation.ENCRYPT || operation == KeyOperation.WRAP_KEY
                    || operation == KeyOperation.SIGN;
            if (protectsNewData && v.expires() != null && now >= v.expires()) {
                throw VaultObjectException.forbidden("Operation " + operation.jwkName() + " is not allowed on an expired key "
                        + "(exp " + v.expires() + "); decrypt, unwrapKey and verify still are.", "KeyExpired");
            }
            boolean needsPrivate = operation == KeyOperation.DECRYPT || operation == KeyOperation.UNWRAP_KEY
                    || operation == KeyOperation.SIGN;
            if (!needsPrivate) {
                return work.run(KeyMaterial.publicOnly(v.publicKey()), bundle);
            }
            byte[] pkcs8 = keys.openPrivate(c, vault, key, v);
            try {
                return work.run(KeyMaterial.of(pkcs8, v.publicKey()), bundle);
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        });
    }
}
