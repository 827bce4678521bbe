package dev.moat.policy.decision;

import java.util.Arrays;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Answers "which of these ranges contains this address, preferring the lowest index" in O(log n), by cutting
 * the address line into disjoint segments each labelled with its winning range.
 *
 * <p>Ranges may nest or overlap (IP rules {@code 20.0.0.0/8} and {@code 20.1.0.0/16}; subnets of different
 * networks), so a plain binary search over sorted ranges would miss the inner ones; precomputing the winner per
 * segment keeps lookups to one binary search over at most {@code 2n+1} segment starts.
 */
final class RangeIndex {

    static final RangeIndex EMPTY = new RangeIndex(new long[0], new int[0]);

    private final long[] starts;
    private final int[] winners;

    private RangeIndex(long[] starts, int[] winners) {
        this.starts = starts;
        this.winners = winners;
    }

    /**
     * @param first first address of range {@code i} (unsigned 32-bit)
     * @param last  last address of range {@code i}, inclusive
     */
    static RangeIndex build(long[] first, long[] last) {
        int n = first.length;
        if (n == 0) {
            return EMPTY;
        }
        Integer[] byFirst = IntStream.range(0, n).boxed().sorted(Comparator.comparingLong(i -> first[i])).toArray(Integer[]::new);
        Integer[] byLast = IntStream.range(0, n).boxed().sorted(Comparator.comparingLong(i -> last[i])).toArray(Integer[]::new);
        long[] points = IntStream.range(0, n)
                .mapToObj(i -> new long[] {first[i], last[i] + 1})
                .flatMapToLong(Arrays::stream)
                .sorted().distinct().toArray();

        long[] starts = new long[points.length];
        int[] winners = new int[points.length];
        int segments = 0;
        TreeSet<Integer> open = new TreeSet<>();
        int opened = 0;
        int closed = 0;
        for (long point : points) {
            while (closed < n && last[byLast[closed]] + 1 == point) {
                open.remove(byLast[closed++]);
            }
            while (opened < n && first[byFirst[opened]] == point) {
                open.add(byFirst[opened++]);
            }
            int winner = open.isEmpty() ? -1 : open.first();
            if (segments == 0 || winners[segments - 1] != winner) {
                starts[segments] = point;
                winners[segments] = winner;
                segments++;
            }
        }
        return new RangeIndex(Arrays.copyOf(starts, segments), Arrays.copyOf(winners, segments));
    }

    /** The lowest index among the ranges containing the address, or -1. */
    int find(long address) {
        int i = Arrays.binarySearch(starts, address);
        if (i < 0) {
            i = -i - 2; // the segment starting before the address
        }
        return i < 0 ? -1 : winners[i];
    }

    /** Number of segments, for tests and benchmarks. */
    int segments() {
        return starts.length;
    }
}
