// The unmodified Azure SDK for JavaScript against Moat, at its default api-versions.
//
// Reads MOAT_URL (the bare host, https://localhost:PORT), MOAT_VAULT_URL, MOAT_TENANT_ID, MOAT_CLIENT_ID,
// MOAT_CLIENT_SECRET, MOAT_ALLOWED_IP and MOAT_DENIED_IP from the environment; NODE_EXTRA_CA_CERTS trusts the local
// CA. The stack trusts loopback as a proxy, so X-Forwarded-For (a per-call pipeline policy, the SDK's own option)
// plays the origin. Prints one line "STEP ok <name>" per step that passed; exits 1 at the first that fails.
import { createHash, randomBytes } from "node:crypto";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { CryptographyClient, KeyClient } from "@azure/keyvault-keys";
import { CertificateClient, DefaultCertificatePolicy } from "@azure/keyvault-certificates";

const env = process.env;
const run = Date.now().toString(36);

async function step(name, action) {
  try {
    await action();
  } catch (e) {
    console.log(`STEP FAILED ${name}`);
    console.log(e && e.stack ? e.stack : e);
    process.exit(1);
  }
  console.log(`STEP ok ${name}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function origin(ip) {
  return {
    additionalPolicies: [{
      position: "perCall",
      policy: { name: "origin", sendRequest: (request, next) => {
        request.headers.set("X-Forwarded-For", ip);
        return next(request);
      } },
    }],
  };
}

const credential = new ClientSecretCredential(env.MOAT_TENANT_ID, env.MOAT_CLIENT_ID, env.MOAT_CLIENT_SECRET,
  { authorityHost: env.MOAT_URL, disableInstanceDiscovery: true });
const vault = env.MOAT_VAULT_URL;
const allowed = origin(env.MOAT_ALLOWED_IP);
const denied = origin(env.MOAT_DENIED_IP);
const secrets = new SecretClient(vault, credential, allowed);
const keys = new KeyClient(vault, credential, allowed);
const certificates = new CertificateClient(vault, credential, allowed);
const state = {};

const name = `js-secret-${run}`;
await step("secrets.set", async () => {
  check((await secrets.setSecret(name, "v1")).value === "v1", "set returned another value");
  state.version = (await secrets.setSecret(name, "v2")).properties.version;
});
await step("secrets.get", async () => {
  check((await secrets.getSecret(name)).value === "v2", "latest is not v2");
  check((await secrets.getSecret(name, { version: state.version })).value === "v2", "version read failed");
});
await step("secrets.list", async () => {
  const names = [];
  for await (const p of secrets.listPropertiesOfSecrets()) names.push(p.name);
  check(names.includes(name), "secret not listed");
  let versions = 0;
  for await (const _ of secrets.listPropertiesOfSecretVersions(name)) versions++;
  check(versions === 2, `${versions} versions, not 2`);
});
await step("secrets.backup", async () => {
  state.backup = await secrets.backupSecret(name);
  check(state.backup && state.backup.length > 0, "empty backup");
});
await step("secrets.delete", async () => {
  const deleted = await (await secrets.beginDeleteSecret(name)).pollUntilDone();
  check(deleted.recoveryId.endsWith(`/deletedsecrets/${name}`), "no recovery id");
});
await step("secrets.recover", async () => {
  await (await secrets.beginRecoverDeletedSecret(name)).pollUntilDone();
  check((await secrets.getSecret(name)).value === "v2", "recovered value differs");
});
await step("secrets.purge", async () => {
  await (await secrets.beginDeleteSecret(name)).pollUntilDone();
  await secrets.purgeDeletedSecret(name);
  for await (const d of secrets.listDeletedSecrets()) check(d.name !== name, "still deleted after purge");
});
await step("secrets.restore", async () => {
  const restored = await secrets.restoreSecretBackup(state.backup);
  check(restored.name === name, "restored another name");
  check((await secrets.getSecret(name)).value === "v2", "restored value differs");
});

const keyName = `js-key-${run}`;
const digest = createHash("sha256").update("moat").digest();
await step("keys.create", async () => {
  state.key = await keys.createRsaKey(keyName, { keySize: 2048 });
  state.crypto = new CryptographyClient(state.key.id, credential, allowed);
});
await step("keys.sign+verify", async () => {
  const signed = await state.crypto.sign("RS256", digest);
  check((await state.crypto.verify("RS256", digest, signed.result)).result === true, "signature not valid");
});
await step("keys.encrypt+decrypt", async () => {
  const plain = Buffer.from("plain text");
  const encrypted = await state.crypto.encrypt({ algorithm: "RSA-OAEP-256", plaintext: plain });
  const decrypted = await state.crypto.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: encrypted.result });
  check(Buffer.from(decrypted.result).equals(plain), "decrypt differs");
});
await step("keys.wrap+unwrap", async () => {
  const aes = randomBytes(32);
  const wrapped = await state.crypto.wrapKey("RSA-OAEP", aes);
  check(Buffer.from((await state.crypto.unwrapKey("RSA-OAEP", wrapped.result)).result).equals(aes), "unwrap differs");
});

const certName = `js-cert-${run}`;
await step("certificates.create", async () => {
  const poller = await certificates.beginCreateCertificate(certName, DefaultCertificatePolicy, { intervalInMs: 500 });
  check((await poller.pollUntilDone()).name === certName, "certificate not created");
});
await step("certificates.get", async () => {
  const certificate = await certificates.getCertificate(certName);
  check(certificate.cer && certificate.cer.length > 100, "no DER certificate");
});

async function refusedByFirewall(action) {
  try {
    await action();
  } catch (e) {
    check(e.statusCode === 403, `status ${e.statusCode}, not 403`);
    check(String(e.message).includes("Client address is not authorized and caller is not a trusted service"),
      `not the firewall's message: ${e.message}`);
    check(String(e.message).includes(env.MOAT_DENIED_IP), "the message does not name the client address");
    return;
  }
  throw new Error("a denied origin was served");
}
await step("denied.secrets.get", () => refusedByFirewall(() => new SecretClient(vault, credential, denied)
  .getSecret(name)));
await step("denied.keys.get", () => refusedByFirewall(() => new KeyClient(vault, credential, denied).getKey(keyName)));
await step("denied.certificates.get", () => refusedByFirewall(() => new CertificateClient(vault, credential, denied)
  .getCertificate(certName)));
