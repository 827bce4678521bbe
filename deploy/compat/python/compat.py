"""The unmodified Azure SDK for Python against Moat, at its default api-versions.

Reads MOAT_URL (the bare host, https://localhost:PORT), MOAT_VAULT_URL, MOAT_TENANT_ID, MOAT_CLIENT_ID,
MOAT_CLIENT_SECRET, MOAT_ALLOWED_IP and MOAT_DENIED_IP from the environment; REQUESTS_CA_BUNDLE trusts the local CA.
The stack trusts loopback as a proxy, so X-Forwarded-For (the SDK's per-client `headers` option) plays the origin.
Prints one line "STEP ok <name>" per step that passed; stops with exit code 1 at the first that fails.
"""
import hashlib
import os
import sys
import time
import traceback

import azure.identity
from azure.core.exceptions import HttpResponseError
from azure.identity import ClientSecretCredential
from azure.keyvault.certificates import CertificateClient, CertificatePolicy
from azure.keyvault.keys import KeyClient
from azure.keyvault.keys.crypto import CryptographyClient, EncryptionAlgorithm, KeyWrapAlgorithm, SignatureAlgorithm
from azure.keyvault.secrets import SecretClient

env = os.environ
run = str(int(time.time()))


def step(name, action):
    try:
        action()
    except Exception:  # report which step failed and how, then stop
        print("STEP FAILED " + name, flush=True)
        traceback.print_exc()
        sys.exit(1)
    print("STEP ok " + name, flush=True)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


# Instance discovery off: the azure-identity 1.13 betas (Debian 12) call the option instance_discovery=False, later
# versions disable_instance_discovery=True.
discovery = ({"instance_discovery": False} if azure.identity.__version__.startswith("1.13.0b")
             else {"disable_instance_discovery": True})
credential = ClientSecretCredential(env["MOAT_TENANT_ID"], env["MOAT_CLIENT_ID"], env["MOAT_CLIENT_SECRET"],
                                    authority=env["MOAT_URL"], **discovery)
vault = env["MOAT_VAULT_URL"]
allowed = {"headers": {"X-Forwarded-For": env["MOAT_ALLOWED_IP"]}}
denied = {"headers": {"X-Forwarded-For": env["MOAT_DENIED_IP"]}}
secrets = SecretClient(vault, credential, **allowed)
keys = KeyClient(vault, credential, **allowed)
certificates = CertificateClient(vault, credential, **allowed)
print("api-versions: secrets %s, keys %s, certificates %s" % (
    secrets.api_version, keys.api_version, certificates.api_version), flush=True)

name = "py-secret-" + run
state = {}


def set_secret():
    check(secrets.set_secret(name, "v1").value == "v1", "set returned another value")
    state["version"] = secrets.set_secret(name, "v2").properties.version


def get_secret():
    check(secrets.get_secret(name).value == "v2", "latest is not v2")
    check(secrets.get_secret(name, state["version"]).value == "v2", "version read failed")


def list_secrets():
    check(name in [p.name for p in secrets.list_properties_of_secrets()], "secret not listed")
    check(len(list(secrets.list_properties_of_secret_versions(name))) == 2, "not two versions")


def backup_secret():
    state["backup"] = secrets.backup_secret(name)
    check(len(state["backup"]) > 0, "empty backup")


def delete_secret():
    deleted = secrets.begin_delete_secret(name).result()
    check(deleted.recovery_id.endswith("/deletedsecrets/" + name), "no recovery id")


def recover_secret():
    secrets.begin_recover_deleted_secret(name).result()
    check(secrets.get_secret(name).value == "v2", "recovered value differs")


def purge_secret():
    secrets.begin_delete_secret(name).result()
    secrets.purge_deleted_secret(name)
    check(name not in [d.name for d in secrets.list_deleted_secrets()], "still deleted after purge")


def restore_secret():
    restored = secrets.restore_secret_backup(state["backup"])
    check(restored.name == name, "restored another name")
    check(secrets.get_secret(name).value == "v2", "restored value differs")


step("secrets.set", set_secret)
step("secrets.get", get_secret)
step("secrets.list", list_secrets)
step("secrets.backup", backup_secret)
step("secrets.delete", delete_secret)
step("secrets.recover", recover_secret)
step("secrets.purge", purge_secret)
step("secrets.restore", restore_secret)

key_name = "py-key-" + run
digest = hashlib.sha256(b"moat").digest()


def create_key():
    state["key"] = keys.create_rsa_key(key_name, size=2048)
    state["crypto"] = CryptographyClient(state["key"], credential, **allowed)


def sign_verify():
    signature = state["crypto"].sign(SignatureAlgorithm.rs256, digest).signature
    state["signature"] = signature
    check(state["crypto"].verify(SignatureAlgorithm.rs256, digest, signature).is_valid, "signature not valid")


def encrypt_decrypt():
    encrypted = state["crypto"].encrypt(EncryptionAlgorithm.rsa_oaep_256, b"plain text")
    check(state["crypto"].decrypt(EncryptionAlgorithm.rsa_oaep_256, encrypted.ciphertext).plaintext == b"plain text",
          "decrypt differs")


def wrap_unwrap():
    aes = os.urandom(32)
    wrapped = state["crypto"].wrap_key(KeyWrapAlgorithm.rsa_oaep, aes)
    check(state["crypto"].unwrap_key(KeyWrapAlgorithm.rsa_oaep, wrapped.encrypted_key).key == aes, "unwrap differs")


step("keys.create", create_key)
step("keys.sign+verify", sign_verify)
step("keys.encrypt+decrypt", encrypt_decrypt)
step("keys.wrap+unwrap", wrap_unwrap)

cert_name = "py-cert-" + run


def create_certificate():
    poller = certificates.begin_create_certificate(cert_name, CertificatePolicy.get_default())
    check(poller.result().name == cert_name, "certificate not created")


def get_certificate():
    certificate = certificates.get_certificate(cert_name)
    check(certificate.cer and len(certificate.cer) > 100, "no DER certificate")


step("certificates.create", create_certificate)
step("certificates.get", get_certificate)


def refused_by_firewall(action):
    try:
        action()
    except HttpResponseError as e:
        check(e.status_code == 403, "status %s, not 403" % e.status_code)
        check("Client address is not authorized and caller is not a trusted service" in str(e),
              "not the firewall's message: " + str(e))
        check(env["MOAT_DENIED_IP"] in str(e), "the message does not name the client address")
        return
    raise AssertionError("a denied origin was served")


step("denied.secrets.get", lambda: refused_by_firewall(
    lambda: SecretClient(vault, credential, **denied).get_secret(name)))
step("denied.keys.get", lambda: refused_by_firewall(
    lambda: KeyClient(vault, credential, **denied).get_key(key_name)))
step("denied.certificates.get", lambda: refused_by_firewall(
    lambda: CertificateClient(vault, credential, **denied).get_certificate(cert_name)))
