package dev.moat.policy.decision;

import dev.moat.netaddr.Ipv4;
import dev.moat.policy.rules.IpRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sorted disjoint segments with binary search ({@link RangeIndex}, what {@link PolicySnapshot} uses) against a
 * binary prefix trie ({@link PrefixTrie}), for the IP-rule lookup of a vault with 127 rules. It lives beside the
 * package-private {@code RangeIndex}; the end-to-end benchmark is {@code dev.moat.policy.bench.PolicySnapshotBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IpIndexBenchmark {

    private static final int SAMPLES = 1024;

    private RangeIndex segments;
    private PrefixTrie trie;
    private long[] addresses;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(7);
        List<IpRule> rules = new ArrayList<>();
        long[] first = new long[127];
        long[] last = new long[127];
        for (int i = 0; i < 127; i++) {
            // Nested and overlapping rules in two /8s, a third of them individual addresses.
            int octet = random.nextBoolean() ? 20 : 52;
            int prefix = i % 3 == 0 ? 32 : 8 + random.nextInt(23);
            long value = ((long) octet << 24) | random.nextInt(1 << 24);
            String text = ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
            var address = Ipv4.parse(text).orElseThrow();
            rules.add(IpRule.of(prefix == 32 ? address : address.setPrefixLength(prefix, true).toPrefixBlock()));
            first[i] = rules.get(i).first();
            last[i] = rules.get(i).last();
        }
        segments = RangeIndex.build(first, last);
        trie = new PrefixTrie(rules);
        addresses = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            // Half inside some rule, half anywhere.
            addresses[i] = i % 2 == 0 ? first[random.nextInt(127)] + random.nextInt(4) : Integer.toUnsignedLong(random.nextInt());
        }
        for (int i = 0; i < 100_000; i++) {
            long probe = i < SAMPLES ? addresses[i] : Integer.toUnsignedLong(random.nextInt());
            if (segments.find(probe) != trie.find(probe)) {
                throw new IllegalStateException("the two indexes disagree on " + probe);
            }
        }
    }

    @Benchmark
    public int sortedSegments() {
        return segments.find(addresses[next()]);
    }

    @Benchmark
    public int prefixTrie() {
        return trie.find(addresses[next()]);
    }

    private int next() {
        next = (next + 1) & (SAMPLES - 1);
        return next;
    }
}
