package dev.moat.policy.bench;

import static dev.moat.testing.bench.ProcessStats.loadAverage;
import static dev.moat.testing.bench.ProcessStats.processCpuNanos;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import dev.moat.proto.policy.v1.Caller;
import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.proto.policy.v1.DecisionServiceGrpc;
import dev.moat.proto.policy.v1.IpRule;
import dev.moat.proto.policy.v1.NetworkPolicyAdminGrpc;
import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.proto.policy.v1.PutVirtualNetworkRequest;
import dev.moat.proto.policy.v1.Reason;
import dev.moat.proto.policy.v1.RegisterVaultRequest;
import dev.moat.proto.policy.v1.Subnet;
import dev.moat.proto.policy.v1.VirtualNetwork;
import dev.moat.proto.policy.v1.VirtualNetworkRule;
import dev.moat.testing.bench.CommandLine;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

/**
 * Closed-loop load generator for {@code moat.policy.v1.DecisionService/Check} against a running policy-service,
 * over real gRPC (plaintext HTTP/2 on loopback). Not a test: {@code policy-service/bench/check-load.sh} starts the
 * service and runs this main; {@code docs/benchmarks.md} has the command and the recorded figures.
 *
 * <p>Setup (as an administrator): one virtual network with 127 subnets, each with the {@code Microsoft.KeyVault}
 * service endpoint, and one vault with {@code defaultAction: Deny}, {@code bypass: None}, 127 IP rules (ranges and
 * single addresses) and 127 virtual network rules (one per subnet): the largest rule set the default limits allow.
 *
 * <p>Load: for each concurrency level, exactly that many {@code Check} calls are in flight at any time (a completed
 * call immediately issues the next one, on the same HTTP/2 connection by default, as vault-service's single channel
 * does); a warm-up period, then a measured one. Requests cycle through a fixed mix: a third hit an IP rule, a third
 * come from a subnet named by a virtual network rule (half of them resolved from the address by longest prefix,
 * half naming the subnet as a trusted edge would), a third are denied (public address, no rule). Every answer is
 * checked against the expected reason; a wrong answer or an error fails the run.
 *
 * <p>Latency is measured per call, from just before the call is started to its completion callback, into an
 * HdrHistogram (1 microsecond to 60 s, 3 significant digits). Being closed-loop, the figures are the latency at
 * that number of in-flight requests, not under a fixed arrival rate (no coordinated-omission correction).
 */
public final class CheckLoadGenerator {

    static final String VAULT = "bench-vault";
    static final String VNET = "/subscriptions/00000000-0000-4000-8000-00000000be0c/resourceGroups/bench-rg"
            + "/providers/Microsoft.Network/virtualNetworks/bench-vnet";
    static final int RULES = 127;
    static final int MIX_SIZE = 3 * 1024;

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private CheckLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        PrivateKey key = readPrivateKey(options.privateKey);
        String adminToken = token(key, List.of("Policy.Admin"));
        String checkToken = token(key, List.of("Policy.Check"));

        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < options.channels; i++) {
            channels.add(NettyChannelBuilder.forAddress(options.host, options.port)
                    .usePlaintext()
                    .directExecutor()
                    .build());
        }
        try {
            setUp(channels.get(0), adminToken, options.startupTimeout);
            List<Expected> mix = mix(new Random(42));
            verifyMix(channels.get(0), checkToken, mix);

            System.out.printf(Locale.ROOT, "# policy-service Check over gRPC, %s:%d, %d channel(s), vault with %d IP rules"
                    + " and %d virtual network rules; mix: 1/3 IP rule, 1/3 subnet rule, 1/3 denied%n",
                    options.host, options.port, options.channels, RULES, RULES);
            System.out.printf(Locale.ROOT, "# warm-up %d s, measured %d s per level; java %s; %d CPUs; loadavg at start: %s%n",
                    options.warmup.toSeconds(), options.duration.toSeconds(), System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            System.out.println("| concurrency | calls | throughput (calls/s) | p50 (µs) | p90 (µs) | p99 (µs) | p99.9 (µs)"
                    + " | max (µs) | server CPU (µs/call) | client CPU (µs/call) | loadavg (1 min) after |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            boolean failed = false;
            for (int concurrency : options.concurrency) {
                Result result = run(channels, checkToken, mix, concurrency, options);
                System.out.println(result.row());
                if (result.errors > 0 || result.wrong > 0) {
                    System.err.printf("concurrency %d: %d errors (first: %s), %d wrong answers (first: %s)%n",
                            concurrency, result.errors, result.firstError, result.wrong, result.firstWrong);
                    failed = true;
                }
            }
            if (failed) {
                System.exit(1);
            }
        } finally {
            for (ManagedChannel channel : channels) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Setup
    // ---------------------------------------------------------------------------------------------------------

    static String subnetName(int i) {
        return String.format(Locale.ROOT, "s%03d", i);
    }

    static String subnetId(int i) {
        return VNET + "/subnets/" + subnetName(i);
    }

    /** IP rule {@code i}: even ones are /16 ranges 20.i.0.0/16, odd ones single addresses 20.i.7.9 (all public). */
    static String ipRule(int i) {
        return i % 2 == 0 ? "20." + i + ".0.0/16" : "20." + i + ".7.9";
    }

    private static void setUp(ManagedChannel channel, String adminToken, Duration timeout) throws InterruptedException {
        NetworkPolicyAdminGrpc.NetworkPolicyAdminBlockingStub admin = NetworkPolicyAdminGrpc.newBlockingStub(channel)
                .withCallCredentials(bearer(adminToken));
        VirtualNetwork.Builder vnet = VirtualNetwork.newBuilder().setId(VNET).addAddressPrefixes("10.0.0.0/16");
        for (int i = 0; i < RULES; i++) {
            vnet.addSubnets(Subnet.newBuilder().setName(subnetName(i)).setAddressPrefix("10.0." + i + ".0/24")
                    .addServiceEndpoints("Microsoft.KeyVault"));
        }
        NetworkRuleSet.Builder rules = NetworkRuleSet.newBuilder().setDefaultAction("Deny").setBypass("None");
        for (int i = 0; i < RULES; i++) {
            rules.addIpRules(IpRule.newBuilder().setValue(ipRule(i)));
            rules.addVirtualNetworkRules(VirtualNetworkRule.newBuilder().setId(subnetId(i)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .putVirtualNetwork(PutVirtualNetworkRequest.newBuilder().setNetwork(vnet).build());
                break;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        var registered = admin.withDeadlineAfter(10, TimeUnit.SECONDS)
                .registerVault(RegisterVaultRequest.newBuilder().setVault(VAULT).setNetworkAcls(rules).build());
        if (registered.getNetworkAcls().getIpRulesCount() != RULES
                || registered.getNetworkAcls().getVirtualNetworkRulesCount() != RULES) {
            throw new IllegalStateException("the vault was registered with other rules than sent: " + registered);
        }
    }

    /** A request and the reason it must get. */
    record Expected(CheckRequest request, Reason reason) {
    }

    static List<Expected> mix(Random random) {
        Caller caller = Caller.newBuilder().setTenantId("72f988bf-86f1-41af-91ab-2d7cd011db47")
                .setObjectId("0f2ad6a4-0000-4000-8000-000000000001")
                .setApplicationId("11111111-2222-3333-4444-555555555555").build();
        List<Expected> mix = new ArrayList<>(MIX_SIZE);
        for (int n = 0; n < MIX_SIZE; n++) {
            int rule = random.nextInt(RULES);
            CheckRequest.Builder request = CheckRequest.newBuilder().setVault(VAULT).setOperation("SecretGet")
                    .setCaller(caller).setCorrelationId(UUID.randomUUID().toString());
            Reason reason;
            switch (n % 3) {
                case 0 -> { // an IP rule
                    String address = rule % 2 == 0
                            ? "20." + rule + "." + random.nextInt(256) + "." + random.nextInt(256)
                            : "20." + rule + ".7.9";
                    request.setClientAddress(address);
                    reason = Reason.REASON_IP_RULE;
                }
                case 1 -> { // a subnet rule: by longest prefix, or named by a trusted edge
                    request.setClientAddress("10.0." + rule + "." + (4 + random.nextInt(250)));
                    if (random.nextBoolean()) {
                        request.setSourceSubnetId(subnetId(rule));
                    }
                    reason = Reason.REASON_VIRTUAL_NETWORK_RULE;
                }
                default -> { // public, outside every rule (52.0.0.0/8 is not used by the rules)
                    request.setClientAddress("52." + random.nextInt(256) + "." + random.nextInt(256) + "."
                            + (1 + random.nextInt(254)));
                    reason = Reason.REASON_DENIED;
                }
            }
            mix.add(new Expected(request.build(), reason));
        }
        return mix;
    }

    /** One blocking pass over the whole mix before any timing: the rule set must answer as designed. */
    private static void verifyMix(ManagedChannel channel, String token, List<Expected> mix) {
        DecisionServiceGrpc.DecisionServiceBlockingStub stub = DecisionServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(bearer(token));
        for (Expected expected : mix) {
            CheckResponse response = stub.withDeadlineAfter(10, TimeUnit.SECONDS).check(expected.request());
            if (response.getReason() != expected.reason()) {
                throw new IllegalStateException("expected " + expected.reason() + " for "
                        + expected.request().getClientAddress() + " (subnet '" + expected.request().getSourceSubnetId()
                        + "') but got " + response);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Load
    // ---------------------------------------------------------------------------------------------------------

    private static Result run(List<ManagedChannel> channels, String token, List<Expected> mix, int concurrency,
            Options options) throws InterruptedException {
        Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        Load load = new Load(channels, token, mix, recorder);
        load.start(concurrency);
        Thread.sleep(options.warmup.toMillis());

        recorder.getIntervalHistogram(); // drop the warm-up (its errors and wrong answers still count)
        long serverCpu0 = processCpuNanos(options.serverPid);
        long clientCpu0 = ownCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(options.duration.toMillis());
        Histogram histogram = recorder.getIntervalHistogram();
        long elapsed = System.nanoTime() - t0;
        long serverCpu = processCpuNanos(options.serverPid) - serverCpu0;
        long clientCpu = ownCpuNanos() - clientCpu0;
        String loadAfter = loadAverage().split(" ")[0];
        load.stopAndDrain();

        long calls = histogram.getTotalCount();
        return new Result(concurrency, calls, calls / (elapsed / 1e9), histogram,
                options.serverPid > 0 && serverCpu >= 0 ? serverCpu / 1e3 / Math.max(1, calls) : Double.NaN,
                clientCpu / 1e3 / Math.max(1, calls), loadAfter,
                load.errors.get(), load.firstError, load.wrong.get(), load.firstWrong);
    }

    /** {@code concurrency} loops, each one call in flight; a completed call starts the next one at once. */
    private static final class Load {
        private final List<DecisionServiceGrpc.DecisionServiceStub> stubs = new ArrayList<>();
        private final List<Expected> mix;
        private final Recorder recorder;
        private final AtomicLong next = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final AtomicLong wrong = new AtomicLong();
        private volatile String firstError;
        private volatile String firstWrong;
        private volatile boolean stopping;
        private CountDownLatch finished;

        Load(List<ManagedChannel> channels, String token, List<Expected> mix, Recorder recorder) {
            CallCredentials credentials = bearer(token);
            for (ManagedChannel channel : channels) {
                stubs.add(DecisionServiceGrpc.newStub(channel).withCallCredentials(credentials));
            }
            this.mix = mix;
            this.recorder = recorder;
        }

        void start(int concurrency) {
            finished = new CountDownLatch(concurrency);
            for (int i = 0; i < concurrency; i++) {
                issue(stubs.get(i % stubs.size()));
            }
        }

        void stopAndDrain() throws InterruptedException {
            stopping = true;
            if (!finished.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("calls still in flight 30 s after the end of the measurement");
            }
        }

        private void issue(DecisionServiceGrpc.DecisionServiceStub stub) {
            if (stopping) {
                finished.countDown();
                return;
            }
            Expected expected = mix.get((int) (next.getAndIncrement() % mix.size()));
            long start = System.nanoTime();
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).check(expected.request(), new StreamObserver<>() {
                private CheckResponse response;

                @Override
                public void onNext(CheckResponse value) {
                    response = value;
                }

                @Override
                public void onError(Throwable t) {
                    recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                    if (errors.getAndIncrement() == 0) {
                        firstError = t.toString();
                    }
                    issue(stub);
                }

                @Override
                public void onCompleted() {
                    recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                    if (response == null || response.getReason() != expected.reason()) {
                        if (wrong.getAndIncrement() == 0) {
                            firstWrong = expected.request().getClientAddress() + " -> " + response;
                        }
                    }
                    issue(stub);
                }
            });
        }
    }

    private record Result(int concurrency, long calls, double throughput, Histogram latency, double serverCpuPerCall,
            double clientCpuPerCall, String loadAfter, long errors, String firstError, long wrong, String firstWrong) {

        String row() {
            return String.format(Locale.ROOT, "| %d | %d | %.0f | %d | %d | %d | %d | %d | %s | %.0f | %s |",
                    concurrency, calls, throughput, latency.getValueAtPercentile(50), latency.getValueAtPercentile(90),
                    latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue(),
                    Double.isNaN(serverCpuPerCall) ? "n/a" : String.format(Locale.ROOT, "%.0f", serverCpuPerCall),
                    clientCpuPerCall, loadAfter);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tokens, CPU, options
    // ---------------------------------------------------------------------------------------------------------

    /** An RS256 token as the service expects it: issuer moat, audience moat-policy, the roles, valid one hour. */
    static String token(PrivateKey key, List<String> roles) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("moat");
        claims.setAudience("moat-policy");
        claims.setSubject("check-load-generator");
        claims.setClaim("appid", "check-load-generator");
        Instant now = Instant.now();
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.minusSeconds(60).getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(Duration.ofHours(1)).getEpochSecond()));
        claims.setStringListClaim("roles", roles);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    /** An RSA private key from a PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}, as openssl genpkey writes). */
    static PrivateKey readPrivateKey(Path pem) throws Exception {
        String text = Files.readString(pem);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(pem + " is not a PKCS#8 PEM private key (openssl genpkey writes one)");
        }
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, java.util.concurrent.Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            }
        };
    }


    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }


    private static final class Options {
        String host = "127.0.0.1";
        int port = 9081;
        Path privateKey;
        int[] concurrency = {1, 8, 32};
        Duration warmup = Duration.ofSeconds(10);
        Duration duration = Duration.ofSeconds(20);
        int channels = 1;
        long serverPid = -1;
        Duration startupTimeout = Duration.ofSeconds(60);

        static Options parse(String[] args) {
            Options o = new Options();
            CommandLine.eachOption(args, 0, Options::usage, (name, value) -> {
                switch (name) {
                    case "--host" -> o.host = value;
                    case "--port" -> o.port = Integer.parseInt(value);
                    case "--private-key" -> o.privateKey = Path.of(value);
                    case "--concurrency" -> o.concurrency = java.util.Arrays.stream(value.split(","))
                            .map(String::trim).mapToInt(Integer::parseInt).toArray();
                    case "--warmup" -> o.warmup = Duration.ofSeconds(Long.parseLong(value));
                    case "--duration" -> o.duration = Duration.ofSeconds(Long.parseLong(value));
                    case "--channels" -> o.channels = Integer.parseInt(value);
                    case "--server-pid" -> o.serverPid = Long.parseLong(value);
                    case "--startup-timeout" -> o.startupTimeout = Duration.ofSeconds(Long.parseLong(value));
                    default -> throw usage("unknown option " + name);
                }
            });
            if (o.privateKey == null) {
                throw usage("--private-key is required");
            }
            if (o.channels < 1 || java.util.Arrays.stream(o.concurrency).anyMatch(c -> c < 1)) {
                throw usage("--channels and every --concurrency level must be at least 1");
            }
            return o;
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + "\nusage: CheckLoadGenerator --private-key PEM [--host H]"
                    + " [--port P] [--concurrency 1,8,32] [--warmup SECONDS] [--duration SECONDS] [--channels N]"
                    + " [--server-pid PID] [--startup-timeout SECONDS]");
        }
    }
}
