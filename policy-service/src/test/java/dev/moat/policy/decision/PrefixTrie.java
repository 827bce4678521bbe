package dev.moat.policy.decision;

import dev.moat.policy.rules.IpRule;
import java.util.Arrays;
import java.util.List;

/**
 * The alternative to {@link RangeIndex} that the benchmark measures it against: a binary trie over the rules'
 * prefixes, walked bit by bit from the top, remembering the lowest rule index seen on the way down. Kept in test
 * code only, as the evidence behind choosing sorted segments.
 */
final class PrefixTrie {

    private int[] zero = new int[64];
    private int[] one = new int[64];
    private int[] rule = new int[64];
    private int nodes = 1;

    PrefixTrie(List<IpRule> rules) {
        Arrays.fill(rule, -1);
        for (int i = 0; i < rules.size(); i++) {
            IpRule r = rules.get(i);
            Integer prefix = r.address().getNetworkPrefixLength();
            insert(r.first(), prefix == null ? 32 : prefix, i);
        }
    }

    private void insert(long address, int prefixLength, int index) {
        int node = 0;
        for (int bit = 31; bit >= 32 - prefixLength; bit--) {
            int[] children = ((address >>> bit) & 1) == 0 ? zero : one;
            if (children[node] == 0) {
                grow();
                children = ((address >>> bit) & 1) == 0 ? zero : one; // grow() may have replaced the arrays
                children[node] = nodes++;
            }
            node = children[node];
        }
        if (rule[node] < 0 || index < rule[node]) {
            rule[node] = index;
        }
    }

    /** The lowest index among the rules containing the address, or -1. */
    int find(long address) {
        int node = 0;
        int best = rule[0];
        for (int bit = 31; bit >= 0; bit--) {
            node = ((address >>> bit) & 1) == 0 ? zero[node] : one[node];
            if (node == 0) {
                break;
            }
            int candidate = rule[node];
            if (candidate >= 0 && (best < 0 || candidate < best)) {
                best = candidate;
            }
        }
        return best;
    }

    private void grow() {
        if (nodes == zero.length) {
            zero = Arrays.copyOf(zero, nodes * 2);
            one = Arrays.copyOf(one, nodes * 2);
            rule = Arrays.copyOf(rule, nodes * 2);
            Arrays.fill(rule, nodes, nodes * 2, -1);
        }
    }
}
