package dev.moat.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack as a user runs it: {@code deploy/moat up} with its own data directory and free ports, and
 * {@code deploy/moat down}. The system tests drive these real processes (a real Kafka broker and the three services).
 */
final class LocalStack implements AutoCloseable {

    final Path repo;
    final Path dataDir;
    final int kafkaPort;
    final int policyHttpPort;
    final int policyGrpcPort;
    final int vaultPort;
    final int auditPort;
    final int consolePort;
    private final int kafkaControllerPort;
    /** The management interfaces (health, metrics) of vault-service, audit-service and the console. */
    private final int vaultManagementPort;
    private final int auditManagementPort;
    private final int consoleManagementPort;
    /** {@code --topology ha}: the first of the replicas' own ports (see {@code ha_port_table} in deploy/moat), else 0. */
    final int internalPortBase;
    /** What {@code up} printed. */
    Result upResult;
    private final List<String> options;

    private LocalStack(Path repo, Path dataDir, boolean ha, List<String> options) throws IOException {
        this.repo = repo;
        this.dataDir = dataDir;
        this.options = options;
        this.kafkaPort = freePort();
        this.kafkaControllerPort = freePort();
        this.policyHttpPort = freePort();
        this.policyGrpcPort = freePort();
        this.vaultPort = freePort();
        this.auditPort = freePort();
        this.consolePort = freePort();
        this.vaultManagementPort = freePort();
        this.auditManagementPort = freePort();
        this.consoleManagementPort = freePort();
        this.internalPortBase = ha ? freePortRange(HA_INTERNAL_PORTS) : 0;
    }

    /**
     * Starts the stack with {@code deploy/moat up --no-build} (the reactor has just built every jar) and the given
     * further options of {@code deploy/moat}, for example {@code --trust-loopback-proxy} for tests that play
     * clients at other addresses through {@code X-Forwarded-For}. Without a {@code --warm-up} option, {@code up}
     * skips its warm-up ({@code --warm-up 0}): the tests send their own requests and wait for what they need.
     */
    static LocalStack up(String name, String... options) throws Exception {
        return up(name, false, options);
    }

    /** Starts the production topology, {@code deploy/moat up --topology ha --no-build}, with further options. */
    static LocalStack upHa(String name, String... options) throws Exception {
        return up(name, true, options);
    }

    private static LocalStack up(String name, boolean ha, String... options) throws Exception {
        Path deployDir = Path.of("").toAbsolutePath();
        Path repo = deployDir.getParent();
        Path dataDir = deployDir.resolve("target").resolve(name);
        deleteRecursively(dataDir);
        List<String> all = new ArrayList<>(List.of(options));
        if (!all.contains("--warm-up")) {
            all.addAll(List.of("--warm-up", "0"));
        }
        LocalStack stack = new LocalStack(repo, dataDir, ha, List.copyOf(all));
        long t0 = System.nanoTime();
        Result up = stack.moat("up");
        if (ha) {
            System.out.printf("[%s] deploy/moat up --topology ha: ready in %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        }
        if (up.exitCode() != 0) {
            stack.moat("down");
            throw new IllegalStateException("deploy/moat up failed (" + up.exitCode() + "):\n" + up.output());
        }
        stack.upResult = up;
        return stack;
    }

    private static final int HA_INTERNAL_PORTS = 19;

    /** The HTTPS port on which the balancer reaches vault-service replica {@code n} (1 or 2) alone. */
    int vaultReplicaPort(int n) {
        return internalPortBase + 12 + n;
    }

    /** The health port of policy-service replica {@code n}. */
    int policyReplicaHttpPort(int n) {
        return internalPortBase + 3 + 2 * n;
    }

    /** The port of audit-service replica {@code n}. */
    int auditReplicaPort(int n) {
        return internalPortBase + 10 + n;
    }

    /**
     * Where a process of the stack serves {@code /q/health/*} and {@code /q/metrics}: its management interface, plain
     * HTTP on loopback, never the port that serves clients. {@code name} as in the pid files: {@code vault-service},
     * {@code policy-service}, {@code audit-service}, {@code console}, or a replica such as {@code vault-service-2}.
     */
    String managementInterfaceUrl(String name) {
        int replica = name.matches(".*-[12]") ? name.charAt(name.length() - 1) - '0' : 0;
        String service = replica == 0 ? name : name.substring(0, name.length() - 2);
        int port = switch (service) {
            case "vault-service" -> replica == 0 ? vaultManagementPort : internalPortBase + 14 + replica;
            case "audit-service" -> replica == 0 ? auditManagementPort : internalPortBase + 16 + replica;
            case "policy-service" -> replica == 0 ? policyHttpPort : policyReplicaHttpPort(replica);
            case "console" -> consoleManagementPort;
            default -> throw new IllegalArgumentException("no management interface: " + name);
        };
        return "http://127.0.0.1:" + port;
    }

    /** Kafka's bootstrap servers: the one broker, or the three of the ha topology. */
    String kafkaBootstrap() {
        if (internalPortBase == 0) {
            return "127.0.0.1:" + kafkaPort;
        }
        return "127.0.0.1:" + kafkaPort + ",127.0.0.1:" + internalPortBase + ",127.0.0.1:" + (internalPortBase + 2);
    }

    Result moat(String command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("deploy/moat").toString(), command,
                "--no-build",
                "--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(kafkaPort),
                "--kafka-controller-port", String.valueOf(kafkaControllerPort),
                "--policy-http-port", String.valueOf(policyHttpPort),
                "--policy-grpc-port", String.valueOf(policyGrpcPort),
                "--vault-port", String.valueOf(vaultPort),
                "--audit-port", String.valueOf(auditPort),
                "--console-port", String.valueOf(consolePort),
                "--vault-management-port", String.valueOf(vaultManagementPort),
                "--audit-management-port", String.valueOf(auditManagementPort),
                "--console-management-port", String.valueOf(consoleManagementPort)));
        if (internalPortBase != 0) {
            cmd.addAll(List.of("--topology", "ha", "--internal-port-base", String.valueOf(internalPortBase)));
        }
        cmd.addAll(options);
        Path log = Files.createTempFile(dataDir.getParent(), "moat-" + command, ".out");
        Process process = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("deploy/moat " + command + " did not finish in 10 minutes");
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Process ids from the stack's pid files, by process name. */
    Map<String, Long> pids() throws IOException {
        Map<String, Long> pids = new HashMap<>();
        Path run = dataDir.resolve("run");
        if (Files.isDirectory(run)) {
            try (var files = Files.list(run)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    String name = file.getFileName().toString().replace(".pid", "");
                    pids.put(name, Long.parseLong(Files.readString(file).trim()));
                }
            }
        }
        return pids;
    }

    /** The bare host: management plane and token issuer. */
    String managementUrl() {
        return "https://localhost:" + vaultPort;
    }

    /** Where vault hosts are reached; requests carry the vault host in their Host header. */
    /** How a process of the stack was started, to start it again the same way. */
    record Launch(String name, List<String> command) {
    }

    Launch launchOf(String name) throws IOException {
        ProcessHandle process = ProcessHandle.of(pids().get(name)).orElseThrow();
        List<String> command = new ArrayList<>();
        command.add(process.info().command().orElseThrow());
        command.addAll(List.of(process.info().arguments().orElseThrow()));
        return new Launch(name, command);
    }

    /** Stops one process of the stack (SIGTERM, or SIGKILL when {@code kill}) and waits until it is gone. */
    void stop(String name, boolean kill) throws Exception {
        long pid = pids().get(name);
        new ProcessBuilder("kill", kill ? "-9" : "-15", String.valueOf(pid)).start().waitFor();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    /** Starts a stopped process again as it was started, appending to its log; {@code down} stops it. */
    void start(Launch launch) throws IOException {
        Process process = new ProcessBuilder(launch.command()).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("logs/" + launch.name()
                        + (launch.name().startsWith("kafka") ? ".out" : ".log")).toFile()))
                .start();
        Files.writeString(dataDir.resolve("run/" + launch.name() + ".pid"), String.valueOf(process.pid()));
    }

    String vaultUrl() {
        return "https://127.0.0.1:" + vaultPort;
    }

    String vaultHost(String vault) {
        return vault + ".vault.localhost:" + vaultPort;
    }

    /** The clients the stack seeded in its token issuer, from {@code credentials.env}. */
    Map<String, String> credentials() throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(dataDir.resolve("credentials.env"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** A trust store holding the stack's generated CA, so that HTTPS is verified as a user would. */
    java.security.KeyStore trustStore() throws Exception {
        return StackTls.trustStore(dataDir.resolve("vault/tls/ca.crt"));
    }

    /** A TLS context that trusts the stack's generated CA. */
    javax.net.ssl.SSLContext sslContext() throws Exception {
        return StackTls.trusting(dataDir.resolve("vault/tls/ca.crt"));
    }

    /**
     * An HTTP/1.1 client that verifies the stack's HTTPS against its generated CA, as a user's client would, with the
     * Azure SDK's default connect timeout (10 s): through the balancer, connecting includes the TLS handshake with a
     * replica, which on a busy machine may take a replica that has just started longer than a few seconds.
     */
    java.net.http.HttpClient httpClient() throws Exception {
        return java.net.http.HttpClient.newBuilder().sslContext(sslContext()).version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(10)).build();
    }

    /** A token for policy-service's gRPC API, signed with the stack's internal key as an operator would. */
    String policyToken(String... roles) throws Exception {
        String pem = Files.readString(dataDir.resolve("keys/internal-signing.key.pem"))
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var key = java.security.KeyFactory.getInstance("RSA")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(pem)));
        var claims = new org.jose4j.jwt.JwtClaims();
        claims.setIssuer("moat");
        claims.setAudience("moat-policy");
        claims.setSubject("system-test-operator");
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setStringListClaim("roles", List.of(roles));
        var jws = new org.jose4j.jws.JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(org.jose4j.jws.AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    /** The web console. */
    String consoleUrl() {
        return "https://localhost:" + consolePort;
    }

    String auditUrl() {
        return "http://127.0.0.1:" + auditPort;
    }

    @Override
    public void close() throws Exception {
        moat("down");
    }

    record Result(int exitCode, String output) {
    }

    /** The first of {@code count} consecutive ports that are all free now. */
    private static int freePortRange(int count) throws IOException {
        var random = new java.util.Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = FIRST_PORT + random.nextInt(LAST_PORT - FIRST_PORT - count);
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                free = !ISSUED.contains(port) && bindable(port);
            }
            if (free) {
                for (int port = base; port < base + count; port++) {
                    ISSUED.add(port);
                }
                return base;
            }
        }
        throw new IOException("no " + count + " consecutive free ports found");
    }

    /** Ports handed out by {@link #freePort()}: the system may offer a just-closed port again. */
    private static final java.util.Set<Integer> ISSUED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int FIRST_PORT = 10000;
    private static final int LAST_PORT = 32000;

    /** A port free now and not handed out before in this JVM. */
    /**
     * A free port below Linux's ephemeral range (32768 and up): a port the kernel may hand to any outgoing connection
     * (a broker's, a JDBC pool's) between this check and the stack's bind would fail the start with "Address already
     * in use". Never the same port twice in one JVM.
     */
    private static int freePort() throws IOException {
        var random = new java.util.Random();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = FIRST_PORT + random.nextInt(LAST_PORT - FIRST_PORT);
            if (!ISSUED.contains(port) && bindable(port) && ISSUED.add(port)) {
                return port;
            }
        }
        throw new IOException("no free port between " + FIRST_PORT + " and " + LAST_PORT);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException taken) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
