package dev.moat.policy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RangeIndexTest {

    private static final long MAX = 0xFFFF_FFFFL;

    @Test
    void prefers_the_lowest_index_among_nested_and_overlapping_ranges() {
        // 0: [100, 199]   1: [0, 1000]   2: [150, 160]   3: [150, 160] (same as 2)
        RangeIndex index = RangeIndex.build(new long[] {100, 0, 150, 150}, new long[] {199, 1000, 160, 160});

        assertThat(index.find(0)).isEqualTo(1);
        assertThat(index.find(99)).isEqualTo(1);
        assertThat(index.find(100)).isZero();
        assertThat(index.find(155)).isZero();
        assertThat(index.find(199)).isZero();
        assertThat(index.find(200)).isEqualTo(1);
        assertThat(index.find(1000)).isEqualTo(1);
        assertThat(index.find(1001)).isEqualTo(-1);
    }

    @Test
    void lets_an_inner_range_win_when_it_has_the_lower_index() {
        RangeIndex index = RangeIndex.build(new long[] {150, 100}, new long[] {160, 199});

        assertThat(index.find(149)).isEqualTo(1);
        assertThat(index.find(150)).isZero();
        assertThat(index.find(160)).isZero();
        assertThat(index.find(161)).isEqualTo(1);
        assertThat(index.segments()).isEqualTo(4); // [100,150) [150,161) [161,200) [200,...)
    }

    @Test
    void covers_both_ends_of_the_address_space() {
        RangeIndex index = RangeIndex.build(new long[] {0, MAX}, new long[] {0, MAX});

        assertThat(index.find(0)).isZero();
        assertThat(index.find(1)).isEqualTo(-1);
        assertThat(index.find(MAX - 1)).isEqualTo(-1);
        assertThat(index.find(MAX)).isEqualTo(1);
        assertThat(RangeIndex.EMPTY.find(42)).isEqualTo(-1);
    }
}
