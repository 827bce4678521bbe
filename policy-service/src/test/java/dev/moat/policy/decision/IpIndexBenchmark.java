package dev.moat.policy.decision;

import dev.moat.netaddr.Ipv4;
import dev.moat.policy.bench.SampledBenchmark;
import dev.moat.policy.rules.IpRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Sorted disjoint segments with binary search ({@link RangeIndex}, what {@link PolicySnapshot} uses) against a
 * binary prefix trie ({@link PrefixTrie}), for the IP-rule lookup of a vault with 127 rules. It lives beside the
 * package-private {@code RangeIndex}; the end-to-end benchmark is {@code dev.moat.policy.bench.PolicySnapshotBenchmark}.
 */
public class IpIndexBenchmark extends SampledBenchmark {

    private RangeIndex segments;
    private PrefixTrie trie;
    private long[] addresses;

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
}
