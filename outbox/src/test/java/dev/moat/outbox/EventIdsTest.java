package dev.moat.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void ids_are_version_7_uuids_carrying_the_time_they_were_made() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(EventIds.next());
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void ids_made_in_later_milliseconds_sort_later_as_text_and_none_repeats() {
        List<String> ids = new ArrayList<>();
        long firstMillis = System.currentTimeMillis();
        // enough ids to span several milliseconds
        while (System.currentTimeMillis() < firstMillis + 5 || ids.size() < 10_000) {
            ids.add(EventIds.next());
        }

        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        for (int i = 1; i < ids.size(); i++) {
            long previousMillis = UUID.fromString(ids.get(i - 1)).getMostSignificantBits() >>> 16;
            long millis = UUID.fromString(ids.get(i)).getMostSignificantBits() >>> 16;
            assertThat(millis).isGreaterThanOrEqualTo(previousMillis);
            if (millis > previousMillis) {
                assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
            }
        }
    }
}
