package dev.moat.vault.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.jboss.logging.Logger;

import dev.moat.vault.config.VaultConfig.Events.Spool.Fsync;
import dev.moat.vault.config.VaultConfig.Events.Spool.WhenFull;

/**
 * One cohesive thing because its file format, its writer thread and its checkpoint share one lock and one layout.
 * <p>A bounded, durable, append-only queue of serialized decision events on disk: every event is written here before it
 * goes to Kafka, and removed only once Kafka acknowledged it, so that none is lost while Kafka is slow or down, nor when
 * the service restarts.
 *
 * <p>Layout: {@code segment-<index>.log} files, each an 8-byte header then records of
 * {@code length (4 bytes) | CRC-32C of the payload (4) | payload}; a length of 0 ends the records (with
 * {@link Fsync#ALWAYS} the active segment is written with zeros ahead of its records, cut off when it is closed or
 * recovered, so that forcing a batch does not wait for a file-system journal commit). One writer thread appends for
 * the request threads (group commit): a request hands its event over and waits at most {@code maxBlock} for it to
 * be written (and, with {@link Fsync#ALWAYS}, forced to the device together with the others of its batch); a lone
 * request, no other under way and no batch being written, writes its own event on its own thread instead (and
 * waits for the device however long it takes). With {@link Fsync#ALWAYS} and a
 * {@code commitDelay}, the writer holding a batch waits up to that long for the events of the requests admitted and
 * not yet handed over, so that one force covers more of them; it does not wait when no other request is under way,
 * so a lone client is never delayed. A full segment is closed and the
 * next one started. The reader (the Kafka sender) reads from the acknowledged position; acknowledged positions are
 * kept in the {@code checkpoint} file (at most every {@link Settings#checkpointInterval()}, always before a segment is
 * deleted and on close) and whole segments behind them are deleted. After a crash a torn last record is
 * cut off; everything after the checkpoint is sent again (at least once: audit-service keeps each event id once).
 *
 * <p>Capacity counts events not yet acknowledged. When it is reached, {@link WhenFull#REJECT} refuses new requests
 * before they are served ({@link #admit()} returns null, so every served request has its event), and
 * {@link WhenFull#DROP} serves them and drops their events, counting them.
 */
public final class DecisionSpool implements AutoCloseable {

    /**
     * @param capacity events kept at most (not yet acknowledged by Kafka)
     * @param segmentBytes size at which a segment file is closed and the next begun
     * @param maxBlock longest a request waits for its event to be written
     * @param commitDelay with {@link Fsync#ALWAYS}, longest the writer waits for the events of requests under way
     *        before it writes and forces a batch (zero: never)
     * @param checkpointInterval how often at most the acknowledged position is written to the {@code checkpoint} file
     *        (and always before a segment is deleted, and on close): after a crash, what Kafka acknowledged since is
     *        sent again, which audit-service keeps once
     */
    public record Settings(long capacity, WhenFull whenFull, Fsync fsync, long segmentBytes, Duration maxBlock,
            Duration checkpointInterval, Duration commitDelay) {

        /** With the default checkpoint interval, {@link #CHECKPOINT_INTERVAL}, and no commit delay. */
        public Settings(long capacity, WhenFull whenFull, Fsync fsync, long segmentBytes, Duration maxBlock) {
            this(capacity, whenFull, fsync, segmentBytes, maxBlock, CHECKPOINT_INTERVAL, Duration.ZERO);
        }

        /** With no commit delay. */
        public Settings(long capacity, WhenFull whenFull, Fsync fsync, long segmentBytes, Duration maxBlock,
                Duration checkpointInterval) {
            this(capacity, whenFull, fsync, segmentBytes, maxBlock, checkpointInterval, Duration.ZERO);
        }
    }

    /**
     * A checkpoint per acknowledged Kafka batch cost a file write and a rename each (half of the sender's CPU at a
     * few thousand events a second); a tenth of a second of events sent again after a crash costs far less.
     */
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(100);

    /** Room for one event, taken before a request is served. */
    public static final class Ticket {
        private final boolean holdsRoom;

        private Ticket(boolean holdsRoom) {
            this.holdsRoom = holdsRoom;
        }
    }

    /** One stored event and where the record after it starts. */
    public record Entry(byte[] payload, long segment, long end) {
    }

    private static final Logger LOG = Logger.getLogger(DecisionSpool.class);
    private static final byte[] MAGIC = "MOATSPL1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length;
    private static final int FRAME = 8;
    private static final int MAX_PAYLOAD = 1 << 20;
    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{16})\\.log");
    private static final String CHECKPOINT = "checkpoint";
    private static final int WRITE_BATCH = 1024;
    /**
     * With {@link Fsync#ALWAYS}, how far ahead of the records a segment is written with zeros and forced: a force of
     * records written over space that already exists needs no file-system journal commit (no size, no block
     * allocation to record), so it does not wait for the other files' writes the journal would take with it.
     */
    private static final int PREALLOCATE = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private record Pending(byte[] payload, CompletableFuture<Void> written) {
    }

    private record Position(long segment, long offset) {
    }

    private final Path dir;
    private final Settings settings;
    /** Events stored or promised room (a {@link Ticket}), against the capacity. */
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Write batches (each forced with {@link Fsync#ALWAYS}), and those a lone request wrote on its own thread. */
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong ownWrites = new AtomicLong();
    /**
     * Tickets handed out, and appends that handed no event over (dropped, refused): with the events the writer has
     * taken, they say how many requests are under way, the writer's reason to wait (commit delay).
     */
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong withoutEvent = new AtomicLong();
    /** Events taken to be written (by the writer thread, or by a lone request writing its own). */
    private final AtomicLong taken = new AtomicLong();
    /** Held by whoever writes a batch: the writer thread, a lone request ({@link #writtenHere}), or close. */
    private final ReentrantLock writing = new ReentrantLock();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Index to size of every segment, the active one included (its size is what has been written). */
    private final ConcurrentSkipListMap<Long, Long> segments = new ConcurrentSkipListMap<>();
    private final Object written = new Object();
    private final Thread writer;
    private volatile boolean closed;
    private volatile long activeSegment;
    private FileChannel active;
    private long activeSize;
    /** Where the zeros written ahead of the records end in the active segment ({@link #PREALLOCATE}). */
    private long preallocated;

    // reader state: only the sender thread touches these
    private Position acknowledged;
    /** What the checkpoint file says, and when it was written ({@link System#nanoTime()}). */
    private Position checkpointed;
    private long checkpointedAt;
    private Position readPosition;
    private FileChannel reading;
    private long readingSegment = -1;
    private long lastDropLog;

    private DecisionSpool(Path dir, Settings settings) {
        this.dir = dir;
        this.settings = settings;
        this.writer = new Thread(this::writeLoop, "decision-spool-writer");
        this.writer.setDaemon(true);
    }

    /** Opens (and recovers) the spool in {@code dir}, creating it when needed. */
    public static DecisionSpool open(Path dir, Settings settings) {
        DecisionSpool spool = new DecisionSpool(dir, settings);
        try {
            spool.recover();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the decision event spool in " + dir, e);
        }
        spool.writer.start();
        return spool;
    }

    // ---- request side ----

    /**
     * Called before a request is served. With {@link WhenFull#REJECT} it takes room for the request's event and returns
     * null when there is none (the request must be refused); with {@link WhenFull#DROP} it never refuses.
     */
    public Ticket admit() {
        if (settings.whenFull() == WhenFull.DROP) {
            admitted.incrementAndGet();
            return new Ticket(false);
        }
        if (takeRoom()) {
            admitted.incrementAndGet();
            return new Ticket(true);
        }
        rejected.incrementAndGet();
        return null;
    }

    /**
     * Stores an event, waiting at most {@code maxBlock} for the write (the event is written after that anyway).
     *
     * @return false when the event was dropped (the spool was full in {@link WhenFull#DROP} mode, or it is closed)
     */
    public boolean append(Ticket ticket, byte[] payload) {
        Pending pending = null;
        try {
            pending = handOver(ticket, payload);
        } finally {
            if (pending == null) {
                withoutEvent.incrementAndGet();
            }
        }
        if (pending == null) {
            return false;
        }
        try {
            pending.written().get(settings.maxBlock().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.debugf("decision event not yet written after %s: the request goes on, the write follows",
                    settings.maxBlock());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // counted and logged by the writer
        }
        return true;
    }

    /** Queues the event for the writer; null when it was dropped. */
    private Pending handOver(Ticket ticket, byte[] payload) {
        if (payload.length == 0 || payload.length > MAX_PAYLOAD) {
            // a length of 0 marks where a segment's records end
            throw new IllegalArgumentException("decision event of " + payload.length + " bytes");
        }
        if (!ticket.holdsRoom && !takeRoom()) {
            drop("the spool is full (" + settings.capacity() + " events wait for Kafka)");
            return null;
        }
        if (closed) {
            used.decrementAndGet();
            drop("the spool is closed");
            return null;
        }
        Pending pending = new Pending(payload, new CompletableFuture<>());
        if (!writtenHere(pending)) {
            queue.add(pending);
        }
        return pending;
    }

    /**
     * A lone request (no other under way, no batch being written, its record within the active segment) writes its
     * event on its own thread: two thread hand-offs fewer, each tens of microseconds where an idle core has to be
     * woken. Under concurrency the writer thread gathers the batches as before.
     */
    private boolean writtenHere(Pending pending) {
        if (admitted.get() - withoutEvent.get() - taken.get() > 1 || !writing.tryLock()) {
            return false;
        }
        try {
            if (closed || activeSize + FRAME + pending.payload().length > settings.segmentBytes()) {
                return false; // closing, or the segment is to be rolled: the writer thread does that
            }
            taken.incrementAndGet();
            ownWrites.incrementAndGet();
            write(List.of(pending));
            return true;
        } finally {
            writing.unlock();
        }
    }

    private boolean takeRoom() {
        while (true) {
            long now = used.get();
            if (now >= settings.capacity()) {
                return false;
            }
            if (used.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private void drop(String why) {
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        synchronized (this) {
            if (lastDropLog == 0 || now - lastDropLog > TimeUnit.SECONDS.toNanos(10)) {
                lastDropLog = now;
                LOG.errorf("ALERT decision events are being DROPPED: %s; %d dropped since start "
                        + "(moat.vault.events.spool.when-full=drop)", why, total);
            }
        }
    }

    // ---- writer ----

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                writing.lock();
                try {
                    batch.add(first);
                    queue.drainTo(batch, WRITE_BATCH - 1);
                    gather(batch);
                    taken.addAndGet(batch.size());
                    write(batch);
                } finally {
                    writing.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (closed) {
                    continue;
                }
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Group commit: with {@link Fsync#ALWAYS}, while other admitted requests have not handed their events over,
     * waits up to the commit delay for them, so that one force covers them too. Never waits when none is under way;
     * an interrupt ends the wait, never the batch: what it holds is written.
     */
    private void gather(List<Pending> batch) {
        if (settings.fsync() != Fsync.ALWAYS || settings.commitDelay().isZero()) {
            return;
        }
        long deadline = System.nanoTime() + settings.commitDelay().toNanos();
        while (batch.size() < WRITE_BATCH && admitted.get() - withoutEvent.get() > taken.get() + batch.size()
                && !closed) {
            long left = deadline - System.nanoTime();
            Pending next;
            try {
                next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, WRITE_BATCH - batch.size());
        }
    }

    private void write(List<Pending> batch) {
        writes.incrementAndGet();
        int done = 0;
        boolean interrupted = false;
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    for (; done < batch.size(); done++) {
                        writeRecord(batch.get(done).payload());
                    }
                    if (settings.fsync() == Fsync.ALWAYS) {
                        active.force(false);
                    }
                    break;
                } catch (ClosedByInterruptException e) {
                    // a request writing its own event was interrupted, which closes the channel: open it again where
                    // the whole records end and finish the batch; the thread keeps its interrupt
                    interrupted = true;
                    Thread.interrupted();
                    if (attempt == 3) {
                        throw e;
                    }
                    reopenActive();
                }
            }
        } catch (IOException | RuntimeException e) {
            int lost = batch.size() - done;
            LOG.errorf("ALERT %d decision event(s) could not be written to the spool in %s and are lost: %s", lost,
                    dir, e.toString());
            dropped.addAndGet(lost);
            used.addAndGet(-lost);
            batch.subList(done, batch.size()).forEach(p -> p.written().completeExceptionally(e));
        }
        // the reader sees what was written only from here on (depth was counted first, so it never goes below 0)
        segments.put(activeSegment, activeSize);
        batch.subList(0, done).forEach(p -> p.written().complete(null));
        synchronized (written) {
            written.notifyAll();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeRecord(byte[] payload) throws IOException {
        if (activeSize >= settings.segmentBytes()) {
            roll();
        }
        preallocate(activeSize + FRAME + payload.length);
        ByteBuffer frame = ByteBuffer.allocate(FRAME + payload.length);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        while (frame.hasRemaining()) {
            active.write(frame);
        }
        activeSize += FRAME + payload.length;
        depth.incrementAndGet();
    }

    /** The active segment again after an interrupt closed its channel, cut back to its whole records. */
    private void reopenActive() throws IOException {
        active = FileChannel.open(segmentFile(activeSegment), StandardOpenOption.WRITE);
        active.truncate(activeSize);
        active.position(activeSize);
        preallocated = activeSize;
    }

    private void roll() throws IOException {
        if (active != null) {
            closeActive();
            segments.put(activeSegment, activeSize);
        }
        long next = segments.isEmpty() ? 0 : segments.lastKey() + 1;
        active = FileChannel.open(segmentFile(next), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        active.write(ByteBuffer.wrap(MAGIC));
        activeSegment = next;
        activeSize = HEADER;
        preallocated = HEADER;
        segments.put(next, activeSize);
        if (settings.fsync() == Fsync.ALWAYS) {
            preallocate(HEADER + 1);
            active.force(true);
            forceDirectory();
        }
    }

    /**
     * With {@link Fsync#ALWAYS}, makes sure the active segment holds written zeros up to {@code end} at least, a
     * {@link #PREALLOCATE} ahead (within the segment size); the next force takes them to the device.
     */
    private void preallocate(long end) throws IOException {
        if (settings.fsync() != Fsync.ALWAYS || end <= preallocated) {
            return;
        }
        long until = Math.max(end, Math.min(preallocated + PREALLOCATE, settings.segmentBytes()));
        for (long at = preallocated; at < until; ) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), until - at));
            at += active.write(zeros, at);
        }
        preallocated = until;
    }

    /** Cuts the zeros ahead of the records off the active segment, forces and closes it. */
    private void closeActive() throws IOException {
        active.truncate(activeSize);
        active.force(false);
        active.close();
    }

    // ---- reader (the sender's thread) ----

    /**
     * Up to {@code max} stored events after the read position, waiting up to {@code wait} for the first.
     */
    public List<Entry> read(int max, Duration wait) throws IOException, InterruptedException {
        List<Entry> entries = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            readInto(entries, max);
            long left = deadline - System.nanoTime();
            if (!entries.isEmpty() || left <= 0 || closed) {
                return entries;
            }
            synchronized (written) {
                written.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    private void readInto(List<Entry> entries, int max) throws IOException {
        while (entries.size() < max) {
            Long limit = segments.get(readPosition.segment());
            if (limit == null) {
                Long next = segments.higherKey(readPosition.segment());
                if (next == null) {
                    return;
                }
                readPosition = new Position(next, HEADER);
                continue;
            }
            if (readPosition.offset() + FRAME > limit) {
                Long next = segments.higherKey(readPosition.segment());
                if (next == null) {
                    return; // the active segment has nothing more yet
                }
                readPosition = new Position(next, HEADER);
                continue;
            }
            FileChannel channel = readChannel(readPosition.segment());
            ByteBuffer frame = ByteBuffer.allocate(FRAME);
            readFully(channel, frame, readPosition.offset());
            int length = frame.getInt(0);
            int crc = frame.getInt(4);
            if (length <= 0 || length > MAX_PAYLOAD || readPosition.offset() + FRAME + length > limit) {
                skipCorrupt("a record length of " + length + " does not fit");
                continue;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(channel, payload, readPosition.offset() + FRAME);
            CRC32C check = new CRC32C();
            check.update(payload.array());
            if ((int) check.getValue() != crc) {
                skipCorrupt("a record fails its CRC");
                continue;
            }
            long end = readPosition.offset() + FRAME + length;
            entries.add(new Entry(payload.array(), readPosition.segment(), end));
            readPosition = new Position(readPosition.segment(), end);
        }
    }

    private void skipCorrupt(String why) {
        Long next = segments.higherKey(readPosition.segment());
        LOG.errorf("ALERT decision event spool segment %d is damaged at offset %d (%s): the rest of it is skipped",
                readPosition.segment(), readPosition.offset(), why);
        readPosition = next == null ? new Position(readPosition.segment(), segments.get(readPosition.segment()))
                : new Position(next, HEADER);
    }

    /** Kafka acknowledged every event up to and including {@code last}: forget them. */
    public void acknowledge(List<Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        Entry last = entries.get(entries.size() - 1);
        acknowledged = new Position(last.segment(), last.end());
        depth.addAndGet(-entries.size());
        used.addAndGet(-entries.size());
        boolean deletes = !segments.headMap(acknowledged.segment()).isEmpty();
        if (deletes || System.nanoTime() - checkpointedAt >= settings.checkpointInterval().toNanos()
                || checkpointed == null) {
            checkpoint();
        }
        for (Map.Entry<Long, Long> segment : segments.headMap(acknowledged.segment()).entrySet()) {
            deleteSegment(segment.getKey());
        }
    }

    /** Goes back to the acknowledged position, to send again what was read but not acknowledged. */
    public void rewind() {
        readPosition = acknowledged;
    }

    // ---- state ----

    /** Events stored and not yet acknowledged by Kafka. */
    public long depth() {
        return depth.get();
    }

    public long capacity() {
        return settings.capacity();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Write batches a lone request wrote on its own thread (a part of {@link #writes()}). */
    public long ownWrites() {
        return ownWrites.get();
    }

    /** Write batches so far, each forced with {@link Fsync#ALWAYS}: events per write is the group commit's batch. */
    public long writes() {
        return writes.get();
    }

    /** Requests refused because the spool was full ({@link WhenFull#REJECT}). */
    public long rejected() {
        return rejected.get();
    }

    /** Whether a request would be refused now ({@link WhenFull#REJECT} with no room left). */
    public boolean refusing() {
        return settings.whenFull() == WhenFull.REJECT && used.get() >= settings.capacity();
    }

    public Settings settings() {
        return settings;
    }

    /** Writes what was handed over, then closes. Unacknowledged events stay for the next start. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
            // a lone request may still be writing its own event
            boolean locked = writing.tryLock(10, TimeUnit.SECONDS);
            try {
                List<Pending> late = new ArrayList<>();
                queue.drainTo(late);
                if (!late.isEmpty() && !writer.isAlive()) {
                    write(late);
                }
                if (active != null) {
                    closeActive();
                }
            } finally {
                if (locked) {
                    writing.unlock();
                }
            }
            if (reading != null) {
                reading.close();
            }
            if (acknowledged != null && !acknowledged.equals(checkpointed)) {
                checkpoint();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warnf("closing the decision event spool: %s", e.toString());
        }
        synchronized (written) {
            written.notifyAll();
        }
    }

    // ---- recovery ----

    private void recover() throws IOException {
        Files.createDirectories(dir);
        List<Long> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = SEGMENT.matcher(f.getFileName().toString());
                if (m.matches()) {
                    found.add(Long.parseLong(m.group(1)));
                }
            });
        }
        found.sort(null);
        Position checkpoint = readCheckpoint();
        long pending = 0;
        for (long index : found) {
            long valid = validLength(index);
            segments.put(index, valid);
            if (checkpoint == null || index > checkpoint.segment()) {
                pending += count(index, HEADER, valid);
            } else if (index == checkpoint.segment()) {
                pending += count(index, Math.min(checkpoint.offset(), valid), valid);
            }
        }
        if (checkpoint == null || segments.isEmpty() || checkpoint.segment() < segments.firstKey()) {
            acknowledged = new Position(segments.isEmpty() ? 0 : segments.firstKey(), HEADER);
        } else {
            acknowledged = new Position(checkpoint.segment(),
                    Math.min(checkpoint.offset(), segments.getOrDefault(checkpoint.segment(), (long) HEADER)));
        }
        for (Long index : segments.headMap(acknowledged.segment()).keySet()) {
            deleteSegment(index);
        }
        readPosition = acknowledged;
        depth.set(pending);
        used.set(pending);
        roll();
        if (pending > 0) {
            LOG.infof("%d decision event(s) from before the restart wait in %s for Kafka", pending, dir);
        }
    }

    /** The length of a segment up to its last whole, intact record; a torn or damaged tail is cut off. */
    private long validLength(long index) throws IOException {
        Path file = segmentFile(index);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            ByteBuffer magic = ByteBuffer.allocate(HEADER);
            if (size < HEADER || !readFully(channel, magic, 0) || !java.util.Arrays.equals(magic.array(), MAGIC)) {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(MAGIC), 0);
                return HEADER;
            }
            long offset = HEADER;
            while (offset + FRAME <= size) {
                ByteBuffer frame = ByteBuffer.allocate(FRAME);
                readFully(channel, frame, offset);
                int length = frame.getInt(0);
                if (length <= 0 || length > MAX_PAYLOAD || offset + FRAME + length > size) {
                    break; // a length of 0 is where the records end in a segment written ahead with zeros
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(channel, payload, offset + FRAME);
                CRC32C crc = new CRC32C();
                crc.update(payload.array());
                if ((int) crc.getValue() != frame.getInt(4)) {
                    break;
                }
                offset += FRAME + length;
            }
            if (offset < size && !zerosFrom(channel, offset, size)) {
                LOG.warnf("decision event spool segment %s ends in %d bytes of an unfinished record (an interrupted "
                        + "write): cut off", file.getFileName(), size - offset);
            }
            if (offset < size) {
                channel.truncate(offset);
                channel.force(true);
            }
            return offset;
        }
    }

    /** Whether the segment holds only zeros from {@code from} to {@code to}: space written ahead, never a record. */
    private static boolean zerosFrom(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        for (long at = from; at < to; at += buffer.limit()) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), to - at));
            if (!readFully(channel, buffer, at)) {
                return false;
            }
            while (buffer.hasRemaining()) {
                if (buffer.get() != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private long count(long index, long from, long to) throws IOException {
        long n = 0;
        try (FileChannel channel = FileChannel.open(segmentFile(index), StandardOpenOption.READ)) {
            long offset = from;
            ByteBuffer frame = ByteBuffer.allocate(FRAME);
            while (offset + FRAME <= to) {
                frame.clear();
                readFully(channel, frame, offset);
                offset += FRAME + frame.getInt(0);
                n++;
            }
        }
        return n;
    }

    private Position readCheckpoint() throws IOException {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.exists(file)) {
            return null;
        }
        String[] parts = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
        try {
            return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            LOG.warnf("unreadable spool checkpoint %s: every stored event is sent again", file);
            return null;
        }
    }

    /** Written atomically; not forced, because an older checkpoint only means sending some events again. */
    private void checkpoint() throws IOException {
        writeCheckpoint(acknowledged);
        checkpointed = acknowledged;
        checkpointedAt = System.nanoTime();
    }

    private void writeCheckpoint(Position position) throws IOException {
        Path tmp = dir.resolve(CHECKPOINT + ".tmp");
        Files.writeString(tmp, position.segment() + " " + position.offset() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void deleteSegment(long index) throws IOException {
        if (index == readingSegment && reading != null) {
            reading.close();
            reading = null;
            readingSegment = -1;
        }
        segments.remove(index);
        Files.deleteIfExists(segmentFile(index));
    }

    private FileChannel readChannel(long index) throws IOException {
        if (readingSegment != index) {
            if (reading != null) {
                reading.close();
            }
            reading = FileChannel.open(segmentFile(index), StandardOpenOption.READ);
            readingSegment = index;
        }
        return reading;
    }

    private Path segmentFile(long index) {
        return dir.resolve(String.format("segment-%016d.log", index));
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be forced; the segment's own force still holds its data
        }
    }

    private static boolean readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        buffer.flip();
        return true;
    }
}
