package dev.moat.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unmodified Azure CLI, Azure SDK for Python and Azure SDK for JavaScript against the real local stack, each
 * running the script under {@code deploy/compat/} as a process: the CLI through the source document's management
 * steps (cloud, sign-in, group, vault, network, service endpoint, rules, access policy) with the firewall probed after
 * each change; Python and JavaScript through secrets, keys and certificates at their default api-versions, from an
 * allowed origin and from a denied one. A script prints {@code STEP ok <name>} per step and exits 1 at the first
 * failure; each test asserts the exit code and that every step passed.
 *
 * <p>{@code *.vault.localhost} does not resolve through glibc here, and /etc/hosts must stay untouched: the clients
 * run in a private mount namespace ({@code unshare -m}) in which a hosts file of this test is bind-mounted over
 * /etc/hosts. The clients come from Debian ({@code azure-cli}, {@code python3-azure}) and npm
 * ({@code deploy/compat/js/package-lock.json}); {@code .ci/run} installs them and sets {@code MOAT_COMPAT_REQUIRED=1},
 * so that in CI a missing client fails the test, while elsewhere it is skipped with the reason.
 */
class ClientsCompatSystemTest extends OnLocalStack {

    private static final Pattern STEP_OK = Pattern.compile("(?m)^STEP ok (\\S+)$");
    private static final String ALLOWED_IP = "203.0.113.9";
    private static final String DENIED_IP = "198.51.100.7";

    private static Path compat;
    private static Path work;

    @BeforeAll
    static void startStack() throws Exception {
        compat = Path.of("").toAbsolutePath().resolve("compat");
        // the SDKs play an allowed and a denied address through X-Forwarded-For, which only a stack that trusts
        // loopback as a proxy believes
        start(LocalStack.up("compat-stack", "--trust-loopback-proxy"));
        work = Files.createDirectories(stack.dataDir.resolveSibling("compat-clients"));
        Files.writeString(work.resolve("hosts"), "127.0.0.1 localhost compatcli.vault.localhost "
                + "compatpy.vault.localhost compatjs.vault.localhost\n::1 localhost\n");
    }

    @Test
    void the_azure_cli_runs_the_source_documents_steps_and_the_firewall_follows_each_change() throws Exception {
        require("az", "the Debian package azure-cli");
        Map<String, String> env = baseEnv();
        env.put("MOAT_VAULT", "compatcli");
        env.put("MOAT_ADMIN_CLIENT_ID", client.credential("MOAT_ADMIN_CLIENT_ID"));
        env.put("MOAT_ADMIN_CLIENT_SECRET", client.credential("MOAT_ADMIN_CLIENT_SECRET"));
        env.put("MOAT_ADMIN_OBJECT_ID", client.credential("MOAT_ADMIN_OBJECT_ID"));
        env.put("AZURE_CONFIG_DIR", Files.createDirectories(work.resolve("azure-cli")).toString());
        env.put("AZURE_CORE_COLLECT_TELEMETRY", "false");
        env.put("AZURE_CORE_NO_COLOR", "true");
        assertScriptPasses("Azure CLI", env, work, "bash", compat.resolve("cli/compat.sh"), "(?m)^step (\\S+) ");
    }

    @Test
    void the_azure_sdk_for_python_runs_secrets_keys_and_certificates_and_carries_the_firewalls_refusal()
            throws Exception {
        require("/usr/bin/python3", "python3");
        Assumptions.assumeTrue(run(Map.of(), "/usr/bin/python3", "-c", "import azure.keyvault.secrets, "
                + "azure.keyvault.keys, azure.keyvault.certificates, azure.identity").exitCode() == 0
                || required(), "the Debian package python3-azure is not installed");
        Map<String, String> env = dataPlaneEnv("compatpy");
        env.put("REQUESTS_CA_BUNDLE", caFile());
        assertScriptPasses("Python", env, work, "/usr/bin/python3", compat.resolve("python/compat.py"),
                "(?m)^step\\(\"(\\S+)\"");
    }

    @Test
    void the_azure_sdk_for_javascript_runs_secrets_keys_and_certificates_and_carries_the_firewalls_refusal()
            throws Exception {
        require("node", "Node.js");
        require("npm", "npm");
        Path js = compat.resolve("js");
        if (!Files.isDirectory(js.resolve("node_modules/@azure/keyvault-secrets"))) {
            Result install = run(Map.of(), js, "npm", "ci", "--no-audit", "--no-fund");
            Assumptions.assumeTrue(install.exitCode() == 0 || required(), "npm ci failed:\n" + install.output());
            assertThat(install.exitCode()).as("npm ci in %s:\n%s", js, install.output()).isZero();
        }
        Map<String, String> env = dataPlaneEnv("compatjs");
        env.put("NODE_EXTRA_CA_CERTS", caFile());
        assertScriptPasses("JavaScript", env, js, "node", js.resolve("compat.mjs"), "(?m)^await step\\(\"(\\S+)\"");
    }

    /** A vault that only 203.0.113.0/24 may reach, whose access policy gives the application everything. */
    private static Map<String, String> dataPlaneEnv(String vault) {
        String body = """
                {"location":"local","properties":{"tenantId":"%1$s","sku":{"family":"A","name":"standard"},
                 "accessPolicies":[{"tenantId":"%1$s","objectId":"%2$s","permissions":{
                   "secrets":["all"],"keys":["all"],"certificates":["all"]}}],
                 "networkAcls":{"defaultAction":"Deny","bypass":"AzureServices","ipRules":[{"value":"203.0.113.0/24"}]}}}
                """.formatted(client.credential("MOAT_TENANT_ID"), client.credential("MOAT_APP_OBJECT_ID"));
        client.armPut("Microsoft.KeyVault/vaults/" + vault, body).statusCode(201);
        Map<String, String> env = baseEnv();
        env.put("MOAT_VAULT_URL", "https://" + vault + ".vault.localhost:" + stack.vaultPort);
        env.put("MOAT_CLIENT_ID", client.credential("MOAT_APP_CLIENT_ID"));
        env.put("MOAT_CLIENT_SECRET", client.credential("MOAT_APP_CLIENT_SECRET"));
        env.put("MOAT_ALLOWED_IP", ALLOWED_IP);
        env.put("MOAT_DENIED_IP", DENIED_IP);
        return env;
    }

    private static Map<String, String> baseEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("MOAT_URL", stack.managementUrl());
        env.put("MOAT_TENANT_ID", client.credential("MOAT_TENANT_ID"));
        env.put("MOAT_CA", caFile());
        return env;
    }

    private static String caFile() {
        return stack.dataDir.resolve("vault/tls/ca.crt").toString();
    }

    /** Each step name the script declares, in order: the test fails unless every one printed "STEP ok". */
    private static List<String> expectedSteps(Path script, String declaration) throws IOException {
        List<String> steps = new ArrayList<>();
        Matcher m = Pattern.compile(declaration).matcher(Files.readString(script));
        while (m.find()) {
            steps.add(m.group(1));
        }
        assertThat(steps).as("steps declared in %s", script).isNotEmpty();
        return steps;
    }

    /** Runs a client's compat script in {@code directory}: every step the script declares must print "STEP ok". */
    private static void assertScriptPasses(String clientName, Map<String, String> env, Path directory,
            String interpreter, Path script, String stepDeclaration) throws Exception {
        assertAllSteps(clientName, run(env, directory, interpreter, script.toString()),
                expectedSteps(script, stepDeclaration));
    }

    private static void assertAllSteps(String clientName, Result result, List<String> expected) {
        List<String> passed = new ArrayList<>();
        Matcher m = STEP_OK.matcher(result.output());
        while (m.find()) {
            passed.add(m.group(1));
        }
        System.out.printf("%s: %d of %d steps passed%n", clientName, passed.size(), expected.size());
        assertThat(result.exitCode()).as("%s exit code; output:%n%s", clientName, result.output()).isZero();
        assertThat(passed).as("%s steps; output:%n%s", clientName, result.output()).containsExactlyElementsOf(expected);
    }

    private static boolean required() {
        return "1".equals(System.getenv("MOAT_COMPAT_REQUIRED"));
    }

    private static void require(String command, String what) throws Exception {
        boolean present = new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
        if (!present && required()) {
            throw new AssertionError(what + " is required (MOAT_COMPAT_REQUIRED=1) but '" + command + "' is missing");
        }
        Assumptions.assumeTrue(present, what + " is not installed ('" + command + "' missing); .ci/run installs it");
    }

    private static Result run(Map<String, String> env, String... command) throws Exception {
        return run(env, work, command);
    }

    /**
     * Runs a client in a private mount namespace where this test's hosts file is /etc/hosts; the real /etc/hosts is
     * never touched. Output (stdout and stderr together) goes to a file, so that a chatty client cannot block.
     */
    private static Result run(Map<String, String> env, Path directory, String... command) throws Exception {
        List<String> wrapped = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount --make-rprivate / && mount --bind \"$0\" /etc/hosts && exec \"$@\"",
                work.resolve("hosts").toString()));
        wrapped.addAll(List.of(command));
        Path log = Files.createTempFile(work, "client", ".out");
        ProcessBuilder builder = new ProcessBuilder(wrapped).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 8 minutes:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {
    }
}
