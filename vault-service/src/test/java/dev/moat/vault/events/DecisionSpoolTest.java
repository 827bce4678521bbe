package dev.moat.vault.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.vault.events.DecisionSpool.Entry;
import dev.moat.vault.config.VaultConfig.Events.Spool.Fsync;
import dev.moat.vault.events.DecisionSpool.Settings;
import dev.moat.vault.config.VaultConfig.Events.Spool.WhenFull;

/** The spool on its own: order, durability across restarts, torn writes, deletion, and what full means. */
class DecisionSpoolTest {

    @TempDir
    Path dir;

    private final List<DecisionSpool> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(DecisionSpool::close);
    }

    private DecisionSpool open(long capacity, WhenFull whenFull, long segmentBytes) {
        DecisionSpool spool = DecisionSpool.open(dir, new Settings(capacity, whenFull, Fsync.ALWAYS, segmentBytes,
                Duration.ofSeconds(5)));
        opened.add(spool);
        return spool;
    }

    private DecisionSpool open() {
        return open(1_000, WhenFull.REJECT, 8 * 1024 * 1024);
    }

    private static byte[] event(int i) {
        return ("event-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static void append(DecisionSpool spool, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(spool.append(spool.admit(), event(i))).isTrue();
        }
    }

    private static List<String> readAll(DecisionSpool spool) throws Exception {
        List<String> all = new ArrayList<>();
        for (List<Entry> batch = spool.read(7, Duration.ZERO); !batch.isEmpty(); batch = spool.read(7, Duration.ZERO)) {
            batch.forEach(e -> all.add(new String(e.payload(), StandardCharsets.UTF_8)));
        }
        return all;
    }

    private static List<String> expected(int from, int to) {
        List<String> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            events.add("event-" + i);
        }
        return events;
    }

    private long segmentFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-")).count();
        }
    }

    @Test
    void events_are_read_in_the_order_they_were_written() throws Exception {
        DecisionSpool spool = open();
        append(spool, 0, 20);

        assertThat(spool.depth()).isEqualTo(20);
        assertThat(readAll(spool)).isEqualTo(expected(0, 20));
    }

    @Test
    void what_was_not_acknowledged_is_read_again_after_a_rewind() throws Exception {
        DecisionSpool spool = open();
        append(spool, 0, 5);
        List<Entry> first = spool.read(3, Duration.ZERO);
        spool.acknowledge(first);
        spool.read(10, Duration.ZERO);

        spool.rewind();

        assertThat(readAll(spool)).isEqualTo(expected(3, 5));
        assertThat(spool.depth()).isEqualTo(2);
    }

    @Test
    void unacknowledged_events_survive_a_restart_and_acknowledged_ones_do_not_come_back() throws Exception {
        DecisionSpool spool = open();
        append(spool, 0, 100);
        spool.acknowledge(spool.read(40, Duration.ZERO));
        spool.close();

        DecisionSpool again = open();

        assertThat(again.depth()).isEqualTo(60);
        assertThat(readAll(again)).isEqualTo(expected(40, 100));
        append(again, 100, 110);
        assertThat(readAll(again)).isEqualTo(expected(100, 110));
    }

    @Test
    void after_a_crash_what_kafka_took_since_the_last_checkpoint_is_sent_again_and_nothing_is_lost() throws Exception {
        DecisionSpool spool = DecisionSpool.open(dir, new Settings(1_000, WhenFull.REJECT, Fsync.ALWAYS,
                8 * 1024 * 1024, Duration.ofSeconds(5), Duration.ofHours(1)));
        opened.add(spool);
        append(spool, 0, 100);
        spool.acknowledge(spool.read(40, Duration.ZERO)); // the first acknowledgement is written at once
        spool.acknowledge(spool.read(20, Duration.ZERO)); // within the interval: not yet
        Path crashed = crashImage();
        spool.close(); // a clean close writes where it stands

        DecisionSpool afterCrash = openIn(crashed);
        assertThat(readAll(afterCrash)).as("from the last checkpoint on").isEqualTo(expected(40, 100));
        DecisionSpool afterClose = open();
        assertThat(readAll(afterClose)).as("from where the closed spool stood").isEqualTo(expected(60, 100));
    }

    @Test
    void a_record_torn_by_a_crash_is_cut_off_and_the_whole_ones_are_kept() throws Exception {
        DecisionSpool spool = open();
        append(spool, 0, 10);
        spool.close();
        Path last = lastSegment(dir);
        Files.write(last, new byte[] {0, 0, 0, 42, 1, 2, 3}, StandardOpenOption.APPEND);

        DecisionSpool again = open();

        assertThat(again.depth()).isEqualTo(10);
        append(again, 10, 12);
        assertThat(readAll(again)).isEqualTo(expected(0, 12));
    }

    @Test
    void acknowledged_segments_are_deleted_from_disk() throws Exception {
        DecisionSpool spool = open(1_000, WhenFull.REJECT, 64);
        append(spool, 0, 50);
        assertThat(segmentFiles()).isGreaterThan(5);

        for (List<Entry> batch = spool.read(10, Duration.ZERO); !batch.isEmpty();
                batch = spool.read(10, Duration.ZERO)) {
            spool.acknowledge(batch);
        }

        assertThat(spool.depth()).isZero();
        assertThat(segmentFiles()).isLessThanOrEqualTo(2);
    }

    @Test
    void when_full_and_set_to_reject_requests_are_refused_until_kafka_took_some() throws Exception {
        DecisionSpool spool = open(3, WhenFull.REJECT, 8 * 1024 * 1024);
        append(spool, 0, 3);

        assertThat(spool.admit()).isNull();
        assertThat(spool.refusing()).isTrue();
        assertThat(spool.rejected()).isEqualTo(1);

        spool.acknowledge(spool.read(1, Duration.ZERO));
        assertThat(spool.refusing()).isFalse();
        assertThat(spool.append(spool.admit(), event(3))).isTrue();
        assertThat(spool.dropped()).isZero();
    }

    @Test
    void when_full_and_set_to_drop_requests_go_on_and_their_events_are_counted_as_dropped() throws Exception {
        DecisionSpool spool = open(2, WhenFull.DROP, 8 * 1024 * 1024);
        append(spool, 0, 2);

        DecisionSpool.Ticket ticket = spool.admit();
        assertThat(ticket).isNotNull();
        assertThat(spool.append(ticket, event(2))).isFalse();

        assertThat(spool.dropped()).isEqualTo(1);
        assertThat(spool.refusing()).isFalse();
        assertThat(readAll(spool)).isEqualTo(expected(0, 2));
    }

    @Test
    void a_restart_with_more_waiting_than_the_capacity_refuses_until_kafka_took_the_surplus() throws Exception {
        DecisionSpool spool = open(10, WhenFull.REJECT, 8 * 1024 * 1024);
        append(spool, 0, 10);
        spool.close();

        DecisionSpool smaller = open(5, WhenFull.REJECT, 8 * 1024 * 1024);

        assertThat(smaller.depth()).isEqualTo(10);
        assertThat(smaller.admit()).isNull();
        smaller.acknowledge(smaller.read(6, Duration.ZERO));
        assertThat(smaller.admit()).isNotNull();
    }

    @Test
    void one_force_covers_the_events_of_the_requests_admitted_together() throws Exception {
        // a request waits 200 ms for its write, then goes on (the write follows): here the writer holds each event
        // until the last of the three requests under way has handed its own over
        DecisionSpool spool = openWithCommitDelay(Duration.ofMinutes(1), Duration.ofMillis(200));
        List<DecisionSpool.Ticket> tickets = List.of(spool.admit(), spool.admit(), spool.admit());

        for (int i = 0; i < 3; i++) {
            assertThat(spool.append(tickets.get(i), event(i))).isTrue();
        }

        assertThat(spool.writes()).isEqualTo(1);
        assertThat(spool.ownWrites()).as("written by the writer thread, not by a request").isZero();
        assertThat(readAll(spool)).isEqualTo(expected(0, 3));
    }

    @Test
    void a_lone_request_writes_its_own_event_on_its_own_thread() throws Exception {
        DecisionSpool spool = open();

        append(spool, 0, 3);

        assertThat(spool.writes()).isEqualTo(3);
        assertThat(spool.ownWrites()).isEqualTo(3);
        assertThat(readAll(spool)).isEqualTo(expected(0, 3));
    }

    @Test
    void an_interrupted_request_still_has_its_event_written_and_keeps_its_interrupt() throws Exception {
        DecisionSpool spool = open();

        // an interrupt closes a file channel the thread uses: the spool opens it again and finishes the write
        Thread.currentThread().interrupt();
        boolean appended;
        boolean stillInterrupted;
        try {
            appended = spool.append(spool.admit(), event(0));
        } finally {
            stillInterrupted = Thread.interrupted();
        }

        assertThat(appended).isTrue();
        assertThat(stillInterrupted).isTrue();
        append(spool, 1, 3);
        assertThat(spool.dropped()).isZero();
        assertThat(readAll(spool)).isEqualTo(expected(0, 3));
        spool.close();
        assertThat(readAll(open())).as("after a restart").isEqualTo(expected(0, 3));
    }

    @Test
    void with_no_other_request_under_way_the_writer_does_not_wait_for_the_commit_delay() throws Exception {
        DecisionSpool spool = openWithCommitDelay(Duration.ofMinutes(1), Duration.ofMinutes(2));

        // one at a time, as a lone client sends them: each is written at once (the delay would exceed the timeout)
        ExecutorService requests = Executors.newSingleThreadExecutor();
        try {
            requests.submit(() -> append(spool, 0, 3)).get(30, TimeUnit.SECONDS);
        } finally {
            requests.shutdownNow();
        }

        assertThat(spool.writes()).isEqualTo(3);
        assertThat(readAll(spool)).isEqualTo(expected(0, 3));
    }

    @Test
    void the_active_segment_is_written_with_zeros_ahead_and_a_crash_there_loses_nothing_and_keeps_no_zeros()
            throws Exception {
        DecisionSpool spool = open();
        append(spool, 0, 10);
        Path crashed = crashImage();
        Path segment = lastSegment(crashed);
        assertThat(Files.size(segment)).as("zeros ahead of the records").isGreaterThan(recordsEnd(0, 10));

        DecisionSpool afterCrash = openIn(crashed);

        assertThat(afterCrash.depth()).isEqualTo(10);
        assertThat(readAll(afterCrash)).isEqualTo(expected(0, 10));
        assertThat(Files.size(segment)).as("the zeros cut off").isEqualTo(recordsEnd(0, 10));
        append(afterCrash, 10, 12);
        assertThat(readAll(afterCrash)).isEqualTo(expected(10, 12));
    }

    @Test
    void a_record_torn_in_the_zeros_ahead_is_cut_off_and_the_whole_ones_are_kept() throws Exception {
        DecisionSpool spool = open();
        append(spool, 0, 10);
        Path crashed = crashImage();
        Path segment = lastSegment(crashed);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 42, 1, 2, 3}), recordsEnd(0, 10));
        }

        DecisionSpool afterCrash = openIn(crashed);

        assertThat(afterCrash.depth()).isEqualTo(10);
        assertThat(readAll(afterCrash)).isEqualTo(expected(0, 10));
        assertThat(Files.size(segment)).isEqualTo(recordsEnd(0, 10));
    }

    @Test
    void closed_segments_hold_their_records_and_nothing_after_them() throws Exception {
        DecisionSpool spool = open(1_000, WhenFull.REJECT, 4096);
        append(spool, 0, 400);
        spool.close();

        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
        assertThat(segments).hasSizeGreaterThan(1);
        long records = 0;
        for (Path segment : segments) {
            ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(segment));
            content.position(8);
            while (content.remaining() >= 8) {
                int length = content.getInt();
                assertThat(length).as("a record's length in %s at %d", segment, content.position() - 4).isPositive();
                content.position(content.position() + 4 + length);
                records++;
            }
            assertThat(content.remaining()).as("bytes after the last record of %s", segment).isZero();
        }
        assertThat(records).isEqualTo(400);
    }

    @Test
    void an_empty_event_is_refused_since_a_length_of_0_ends_a_segment_s_records() {
        DecisionSpool spool = open();

        assertThatThrownBy(() -> spool.append(spool.admit(), new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    /** A copy of the spool's files as they are now, the spool still open: what a crash leaves. */
    private Path crashImage() throws Exception {
        Path crashed = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-crashed"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.copy(f, crashed.resolve(f.getFileName()));
            }
        }
        return crashed;
    }

    private DecisionSpool openIn(Path directory) {
        DecisionSpool spool = DecisionSpool.open(directory, new Settings(1_000, WhenFull.REJECT, Fsync.ALWAYS,
                8 * 1024 * 1024, Duration.ofSeconds(5)));
        opened.add(spool);
        return spool;
    }

    private static Path lastSegment(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
    }

    /** Where the records of events {@code from} to {@code to} end in a segment that holds only them. */
    private static long recordsEnd(int from, int to) {
        long end = 8;
        for (int i = from; i < to; i++) {
            end += 8 + event(i).length;
        }
        return end;
    }

    private DecisionSpool openWithCommitDelay(Duration commitDelay, Duration maxBlock) {
        DecisionSpool spool = DecisionSpool.open(dir, new Settings(1_000, WhenFull.REJECT, Fsync.ALWAYS,
                8 * 1024 * 1024, maxBlock, DecisionSpool.CHECKPOINT_INTERVAL, commitDelay));
        opened.add(spool);
        return spool;
    }
}
