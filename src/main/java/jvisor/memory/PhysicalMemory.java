package jvisor.memory;

import static jvisor.memory.ByteLayouts.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's physical memory: page frames with reference counts, 2 MiB and 1 GiB huge frames,
 * and the bytes behind them.
 *
 * <p>Like Linux's struct page array, every 4 KiB frame has a reference count; a huge frame is a
 * compound frame whose count lives on its head, so {@link #get}/{@link #put} on any frame of it
 * act on the head. A frame is free when its count is zero.
 *
 * <p>Storage is sparse: real memory is cut into 2 MiB chunks whose bytes are allocated off-heap
 * (foreign memory API) on the first write. A chunk never written reads as zeros, so a guest of
 * several GiB costs only what it touches, even when backed by 1 GiB frames.
 *
 * <p>The allocator keeps free lists per size (4K, 2M, 1G): a 4K frame is cut from a 2M block and
 * a 2M block from a 1G zone when the smaller list is empty. Freed blocks go back to their own
 * list; they are not coalesced (a host that runs out of 2M blocks while holding free 4K frames
 * reports out-of-memory for the huge allocation, which callers treat like Linux's failed
 * huge-page allocation).
 *
 * <p>With {@link FrameGuard} on, every access checks that it lands in a held frame and freed
 * frames wait in a quarantine before reuse (see there); off, nothing of it runs.
 */
public final class PhysicalMemory implements RealMemory {
    public static final long NO_FRAME = -1;

    private static final int CHUNK_SHIFT = PageSizes.SHIFT_2M;
    private static final long CHUNK_SIZE = 1L << CHUNK_SHIFT;
    private static final long CHUNK_MASK = CHUNK_SIZE - 1;
    private static final int FRAMES_PER_CHUNK = 1 << (CHUNK_SHIFT - PageSizes.SHIFT_4K);
    private static final int CHUNKS_PER_GIG = 1 << (PageSizes.SHIFT_1G - CHUNK_SHIFT);

    private static final VarHandle ATOMIC_LONG_BE =
            ValueLayout.JAVA_LONG.withOrder(ByteOrder.BIG_ENDIAN).varHandle();
    private static final VarHandle DATA = MethodHandles.arrayElementVarHandle(MemorySegment[].class);

    /** Per-2MiB-chunk frame metadata. */
    private static final class ChunkFrames {
        final AtomicIntegerArray refcount = new AtomicIntegerArray(FRAMES_PER_CHUNK);
        /** For a chunk inside a huge frame: the head pfn and order; -1 when cut into 4K frames. */
        long compoundHead = -1;
        int compoundOrder;
        /** Order of each small multi-frame allocation (orders 1..8) by its first frame. */
        final byte[] smallOrder = new byte[FRAMES_PER_CHUNK];
    }

    private final long size;
    private final long capacityFrames;
    private final MemorySegment[] data;
    private final ChunkFrames[] frames;
    private final AtomicLong framesInUse = new AtomicLong();
    private final AtomicLong chunksMaterialized = new AtomicLong();
    private final java.util.List<WriteObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final FrameGuard guard = new FrameGuard();
    /** With the guard on: freed blocks (head pfn << 5 | order) waiting to go back to the free lists, oldest first. */
    private final java.util.ArrayDeque<Long> quarantine = new java.util.ArrayDeque<>();
    private long quarantinedFrames;

    /**
     * Told when bytes change other than through the single-value accessors: a frame handed out
     * zeroed, a bulk {@link #write}, a {@link #copyFrame}. Caches derived from memory contents (a
     * core's decoded instructions) use it to stay coherent with the host writing guest memory
     * (loading a kernel, swap-in, migration, hypercalls that fill pages).
     */
    @FunctionalInterface
    public interface WriteObserver {
        void written(long realAddress, long length);
    }

    public void addWriteObserver(WriteObserver o) {
        observers.add(o);
    }

    public void removeWriteObserver(WriteObserver o) {
        observers.remove(o);
    }

    private void notifyWritten(long pa, long length) {
        for (WriteObserver o : observers) o.written(pa, length);
    }

    // Allocator state, guarded by this.
    private final LongStack free4k = new LongStack();
    /** Free blocks of orders 1..8, cut from 2M blocks; index = order. */
    private final LongStack[] freeSmall = new LongStack[PageSizes.ORDER_2M];
    private final LongStack free2m = new LongStack();
    private final LongStack free1g = new LongStack();
    private long nextFreshGig;
    private final long gigs;

    /**
     * @param size     bytes of real address space (a multiple of 1 GiB)
     * @param capacity bytes of frames that may be in use at once (the host's RAM); allocation
     *                 fails beyond it
     */
    public PhysicalMemory(long size, long capacity) {
        if (size <= 0 || !PageSizes.aligned(size, PageSizes.SHIFT_1G) || size > (1L << 46)) {
            throw new IllegalArgumentException("physical memory size must be a positive multiple of 1 GiB up to 64 TiB");
        }
        this.size = size;
        this.capacityFrames = Math.min(capacity, size) >>> PageSizes.SHIFT_4K;
        int chunks = (int) (size >>> CHUNK_SHIFT);
        this.data = new MemorySegment[chunks];
        this.frames = new ChunkFrames[chunks];
        this.gigs = size >>> PageSizes.SHIFT_1G;
    }

    public PhysicalMemory(long size) {
        this(size, size);
    }

    /**
     * Sets up the host allocator of real memory's chunks ahead of the first write, if it has set-up
     * to do ({@link HostChunks#prepareInBackground}): a machine calls it before it builds itself.
     */
    public static void prepareInBackground() {
        HostChunks.prepareInBackground();
    }

    @Override
    public long size() {
        return size;
    }

    // ---------------------------------------------------------------- frames

    /**
     * Allocates a zeroed frame of the given order (0 to {@link PageSizes#ORDER_2M}, or
     * {@link PageSizes#ORDER_1G}) with a reference count of one. Orders 1..8 are contiguous
     * blocks cut from a 2M block (a 64 KiB radix root, for instance), referenced by their first frame.
     *
     * @return the head pfn, or {@link #NO_FRAME} when the host is out of memory
     */
    public synchronized long allocate(int order) {
        if (order < 0 || (order > PageSizes.ORDER_2M && order != PageSizes.ORDER_1G)) {
            throw new IllegalArgumentException("unsupported frame order " + order);
        }
        long count = 1L << order;
        if (framesInUse.get() + count > capacityFrames) {
            return NO_FRAME;
        }
        long pfn = take(order);
        if (pfn == NO_FRAME && quarantinedFrames > 0) {
            // The frames waiting in the guard's quarantine are free: give them back before failing.
            while (!quarantine.isEmpty()) releaseOldestQuarantined();
            pfn = take(order);
        }
        if (pfn == NO_FRAME) {
            return NO_FRAME;
        }
        if (order > 0 && order < PageSizes.ORDER_2M) {
            ChunkFrames cf = chunkFrames(pfn >>> (CHUNK_SHIFT - PageSizes.SHIFT_4K));
            cf.compoundHead = -1;
            cf.smallOrder[frameIndex(pfn)] = (byte) order;
        } else if (order > 0) {
            long firstChunk = pfn >>> (CHUNK_SHIFT - PageSizes.SHIFT_4K);
            long nChunks = Math.max(1, count / FRAMES_PER_CHUNK);
            for (long c = 0; c < nChunks; c++) {
                ChunkFrames cf = chunkFrames(firstChunk + c);
                cf.compoundHead = pfn;
                cf.compoundOrder = order;
            }
        } else {
            ChunkFrames cf = chunkFrames(pfn >>> (CHUNK_SHIFT - PageSizes.SHIFT_4K));
            cf.compoundHead = -1;
            cf.compoundOrder = 0;
            cf.smallOrder[frameIndex(pfn)] = 0;
        }
        zero(pfn << PageSizes.SHIFT_4K, count << PageSizes.SHIFT_4K);
        notifyWritten(pfn << PageSizes.SHIFT_4K, count << PageSizes.SHIFT_4K);
        chunkFrames(pfn >>> (CHUNK_SHIFT - PageSizes.SHIFT_4K)).refcount.set(frameIndex(pfn), 1);
        framesInUse.addAndGet(count);
        return pfn;
    }

    /**
     * {@code n} single frames (n a power of two up to 512) that are contiguous and aligned to
     * {@code n}, each zeroed and with its own count of one, as {@link #allocate} gives one: for
     * hardware that wants consecutive table pages but counts references per page (ARM's
     * concatenated stage-2 roots). Cut from a 2 MiB block, the rest of which becomes free single
     * frames; so it succeeds whenever a 2 MiB block is free, however fragmented the single frames.
     *
     * @return the first frame, or {@link #NO_FRAME}
     */
    public synchronized long allocateRun(int n) {
        if (n < 1 || n > FRAMES_PER_CHUNK || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("a run of " + n + " frames");
        }
        if (framesInUse.get() + n > capacityFrames) return NO_FRAME;
        long block = take2m();
        if (block == NO_FRAME && quarantinedFrames > 0) {
            while (!quarantine.isEmpty()) releaseOldestQuarantined();
            block = take2m();
        }
        if (block == NO_FRAME) return NO_FRAME;
        for (long i = FRAMES_PER_CHUNK - 1; i >= n; i--) free4k.push(block + i);
        ChunkFrames cf = chunkFrames(block >>> (CHUNK_SHIFT - PageSizes.SHIFT_4K));
        cf.compoundHead = -1;
        cf.compoundOrder = 0;
        for (int i = 0; i < n; i++) cf.smallOrder[frameIndex(block + i)] = 0;
        zero(block << PageSizes.SHIFT_4K, (long) n << PageSizes.SHIFT_4K);
        notifyWritten(block << PageSizes.SHIFT_4K, (long) n << PageSizes.SHIFT_4K);
        for (int i = 0; i < n; i++) cf.refcount.set(frameIndex(block + i), 1);
        framesInUse.addAndGet(n);
        return block;
    }

    private long take(int order) {
        return switch (order) {
            case 0 -> take4k();
            case PageSizes.ORDER_2M -> take2m();
            case PageSizes.ORDER_1G -> take1g();
            default -> takeSmall(order);
        };
    }

    private long take4k() {
        if (free4k.isEmpty()) {
            long block = take2m();
            if (block == NO_FRAME) {
                return NO_FRAME;
            }
            for (long i = FRAMES_PER_CHUNK - 1; i >= 1; i--) {
                free4k.push(block + i);
            }
            return block;
        }
        return free4k.pop();
    }

    private long takeSmall(int order) {
        LongStack list = freeSmall[order];
        if (list == null) {
            list = freeSmall[order] = new LongStack();
        }
        if (list.isEmpty()) {
            long block = take2m();
            if (block == NO_FRAME) {
                return NO_FRAME;
            }
            int pieces = FRAMES_PER_CHUNK >> order;
            for (long i = pieces - 1; i >= 1; i--) {
                list.push(block + (i << order));
            }
            return block;
        }
        return list.pop();
    }

    private long take2m() {
        if (free2m.isEmpty()) {
            long gig = take1g();
            if (gig == NO_FRAME) {
                return NO_FRAME;
            }
            for (long i = CHUNKS_PER_GIG - 1; i >= 1; i--) {
                free2m.push(gig + i * FRAMES_PER_CHUNK);
            }
            return gig;
        }
        return free2m.pop();
    }

    private long take1g() {
        if (!free1g.isEmpty()) {
            return free1g.pop();
        }
        if (nextFreshGig < gigs) {
            return (nextFreshGig++) << (PageSizes.SHIFT_1G - PageSizes.SHIFT_4K);
        }
        return NO_FRAME;
    }

    private synchronized void release(long head, int order) {
        framesInUse.addAndGet(-(1L << order));
        if (FrameGuard.ENABLED && order < PageSizes.ORDER_2M) {
            quarantine.addLast(head << 5 | order);
            quarantinedFrames += 1L << order;
            while (quarantinedFrames > FrameGuard.QUARANTINE_FRAMES) releaseOldestQuarantined();
            return;
        }
        toFreeList(head, order);
    }

    private void releaseOldestQuarantined() {
        long e = quarantine.removeFirst();
        int order = (int) (e & 31);
        quarantinedFrames -= 1L << order;
        toFreeList(e >>> 5, order);
    }

    private void toFreeList(long head, int order) {
        switch (order) {
            case 0 -> free4k.push(head);
            case PageSizes.ORDER_2M -> free2m.push(head);
            case PageSizes.ORDER_1G -> free1g.push(head);
            default -> freeSmall[order].push(head);
        }
    }

    /** The head frame of the (possibly compound) frame that {@code pfn} belongs to. */
    public long head(long pfn) {
        ChunkFrames cf = existingChunkFrames(pfn);
        return cf == null || cf.compoundHead < 0 ? pfn : cf.compoundHead;
    }

    /**
     * The order of the frame {@code pfn} belongs to: 9 (2 MiB) or 18 (1 GiB) for any frame of a
     * huge frame; for a small multi-frame block (orders 1..8, e.g. a 64 KiB table root) the order
     * is known by its first frame only, which is the one to get/put it by.
     */
    public int order(long pfn) {
        ChunkFrames cf = existingChunkFrames(pfn);
        if (cf == null) return 0;
        return cf.compoundHead < 0 ? cf.smallOrder[frameIndex(pfn)] : cf.compoundOrder;
    }

    /** Takes a reference on the frame (its head, for a huge frame). */
    public void get(long pfn) {
        long head = head(pfn);
        int old = chunkFrames(head >>> 9).refcount.getAndIncrement(frameIndex(head));
        if (old <= 0) {
            throw new IllegalStateException(String.format("get on free frame 0x%x", pfn));
        }
    }

    /**
     * Drops a reference; the last one frees the frame.
     *
     * @return true when the frame was freed
     */
    public boolean put(long pfn) {
        long head = head(pfn);
        int now = chunkFrames(head >>> 9).refcount.decrementAndGet(frameIndex(head));
        if (now < 0) {
            throw new IllegalStateException(String.format("put on free frame 0x%x", pfn));
        }
        if (now == 0) {
            release(head, order(head));
            return true;
        }
        return false;
    }

    /**
     * Takes a reference on the frame of {@code pageAddress} if it is in use, as a reader that is
     * no CPU (a translator thread) does for the length of its reads; false, taking nothing, if the
     * frame is free. The reference is dropped with {@link #unpinPage}.
     */
    @Override
    public boolean pinPage(long pageAddress) {
        long pfn = pageAddress >>> PageSizes.SHIFT_4K;
        if (pfn < 0 || pfn >= size >>> PageSizes.SHIFT_4K) {
            return false;
        }
        long owner = referenceFrame(pfn);
        ChunkFrames cf = existingChunkFrames(owner);
        if (cf == null) {
            return false;
        }
        int i = frameIndex(owner);
        for (int n = cf.refcount.get(i); n > 0; n = cf.refcount.get(i)) {
            if (cf.refcount.compareAndSet(i, n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void unpinPage(long pageAddress) {
        put(referenceFrame(pageAddress >>> PageSizes.SHIFT_4K));
    }

    /**
     * The frame whose count holds {@code pfn}: the head of its huge frame, the first frame of the
     * small multi-frame block it is in use in (such blocks are aligned to their size and known by
     * their first frame), or itself.
     */
    private long referenceFrame(long pfn) {
        ChunkFrames cf = existingChunkFrames(pfn);
        if (cf == null) {
            return pfn;
        }
        if (cf.compoundHead >= 0) {
            return cf.compoundHead;
        }
        int i = frameIndex(pfn);
        if (cf.refcount.get(i) > 0) {
            return pfn;
        }
        for (int o = 1; o < PageSizes.ORDER_2M; o++) {
            int first = i & -(1 << o);
            if (cf.smallOrder[first] == o && cf.refcount.get(first) > 0) {
                return pfn - i + first;
            }
        }
        return pfn;
    }

    /** The reference count of the frame (of its head, for a huge frame); 0 means free. */
    public int refCount(long pfn) {
        long head = head(pfn);
        ChunkFrames cf = existingChunkFrames(head);
        return cf == null ? 0 : cf.refcount.get(frameIndex(head));
    }

    /** 4 KiB frames currently allocated (a huge frame counts all of its frames). */
    public long framesInUse() {
        return framesInUse.get();
    }

    /** 2 MiB chunks whose bytes have been allocated because something wrote to them. */
    public long chunksMaterialized() {
        return chunksMaterialized.get();
    }

    private static int frameIndex(long pfn) {
        return (int) (pfn & (FRAMES_PER_CHUNK - 1));
    }

    private ChunkFrames existingChunkFrames(long pfn) {
        long chunk = pfn >>> (CHUNK_SHIFT - PageSizes.SHIFT_4K);
        if (chunk < 0 || chunk >= frames.length) {
            throw new IllegalArgumentException(String.format("pfn 0x%x outside physical memory", pfn));
        }
        return frames[(int) chunk];
    }

    private synchronized ChunkFrames chunkFrames(long chunk) {
        ChunkFrames cf = frames[(int) chunk];
        if (cf == null) {
            cf = new ChunkFrames();
            frames[(int) chunk] = cf;
        }
        return cf;
    }

    // ---------------------------------------------------------------- the guard

    /** The access check of this memory; it counts only when {@link FrameGuard#ENABLED}. */
    public FrameGuard guard() {
        return guard;
    }

    /** Checks an access when the guard is on; compiles to nothing when it is off. */
    private void check(long pa, long len, boolean write) {
        if (FrameGuard.ENABLED) checkHeld(pa, len, write);
    }

    private void checkHeld(long pa, long len, boolean write) {
        if (pa < 0 || len < 0 || pa > size - len) {
            guard.report(pa, len, write, "beyond the end of real memory");
            return;
        }
        long last = (pa + Math.max(len, 1) - 1) >>> PageSizes.SHIFT_4K;
        for (long pfn = pa >>> PageSizes.SHIFT_4K; pfn <= last; pfn++) {
            if (!held(pfn)) {
                guard.report(pa, len, write, String.format("frame 0x%x is not allocated", pfn));
                return;
            }
        }
    }

    /**
     * Whether somebody holds the frame: its own count, its huge frame's head's, or that of the
     * small multi-frame block it lies in (see {@link #referenceFrame}).
     */
    private boolean held(long pfn) {
        long owner = referenceFrame(pfn);
        ChunkFrames cf = existingChunkFrames(owner);
        return cf != null && cf.refcount.get(frameIndex(owner)) > 0;
    }

    // ---------------------------------------------------------------- bytes

    /** The bytes of one 4 KiB frame, allocated if never written: for fast repeated access. */
    public MemorySegment frameSegment(long pfn) {
        long pa = pfn << PageSizes.SHIFT_4K;
        return writable(pa).asSlice(pa & CHUNK_MASK, PageSizes.SIZE_4K);
    }

    /**
     * The page's bytes for a CPU's translation cache. Chunks are never replaced once made, so the
     * view stays valid; making it materializes the chunk, which costs what a first write would.
     */
    @Override
    public MemorySegment page(long pageAddress) {
        // A cached view would let a CPU read and write without a check: under the guard it gets none.
        if (FrameGuard.ENABLED) return null;
        return frameSegment(pageAddress >>> PageSizes.SHIFT_4K);
    }

    private MemorySegment readable(long pa) {
        return (MemorySegment) DATA.getAcquire(data, (int) (pa >>> CHUNK_SHIFT));
    }

    private MemorySegment writable(long pa) {
        int index = (int) (pa >>> CHUNK_SHIFT);
        MemorySegment s = (MemorySegment) DATA.getAcquire(data, index);
        if (s == null) {
            MemorySegment fresh = HostChunks.allocate(CHUNK_SIZE);
            if (DATA.compareAndSet(data, index, (MemorySegment) null, fresh)) {
                chunksMaterialized.incrementAndGet();
                return fresh;
            }
            s = (MemorySegment) DATA.getAcquire(data, index);
        }
        return s;
    }

    private void zero(long pa, long length) {
        for (long p = pa; p < pa + length; p = (p | CHUNK_MASK) + 1) {
            MemorySegment s = readable(p);
            long end = Math.min(pa + length, (p | CHUNK_MASK) + 1);
            if (s != null) {
                s.asSlice(p & CHUNK_MASK, end - p).fill((byte) 0);
            }
        }
    }

    private static boolean crosses(long pa, int len) {
        return (pa & CHUNK_MASK) > CHUNK_SIZE - len;
    }

    /** Copies bytes out of real memory. */
    public void read(long pa, byte[] dst, int off, int len) {
        check(pa, len, false);
        for (int i = 0; i < len; ) {
            long p = pa + i;
            int n = (int) Math.min(len - i, CHUNK_SIZE - (p & CHUNK_MASK));
            MemorySegment s = readable(p);
            if (s == null) {
                java.util.Arrays.fill(dst, off + i, off + i + n, (byte) 0);
            } else {
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, p & CHUNK_MASK, dst, off + i, n);
            }
            i += n;
        }
    }

    /** Copies bytes into real memory. */
    public void write(long pa, byte[] src, int off, int len) {
        check(pa, len, true);
        for (int i = 0; i < len; ) {
            long p = pa + i;
            int n = (int) Math.min(len - i, CHUNK_SIZE - (p & CHUNK_MASK));
            MemorySegment.copy(src, off + i, writable(p), ValueLayout.JAVA_BYTE, p & CHUNK_MASK, n);
            i += n;
        }
        notifyWritten(pa, len);
    }

    /** Copies one 4 KiB frame's bytes to another. */
    public void copyFrame(long fromPfn, long toPfn) {
        check(fromPfn << PageSizes.SHIFT_4K, PageSizes.SIZE_4K, false);
        check(toPfn << PageSizes.SHIFT_4K, PageSizes.SIZE_4K, true);
        MemorySegment src = readable(fromPfn << PageSizes.SHIFT_4K);
        MemorySegment dst = frameSegment(toPfn);
        if (src == null) {
            dst.fill((byte) 0);
        } else {
            MemorySegment.copy(src, (fromPfn << PageSizes.SHIFT_4K) & CHUNK_MASK, dst, 0, PageSizes.SIZE_4K);
        }
        notifyWritten(toPfn << PageSizes.SHIFT_4K, PageSizes.SIZE_4K);
    }

    private long readSlow(long pa, int len, boolean bigEndian) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            long b = rawReadByte(pa + (bigEndian ? i : len - 1 - i)) & 0xFF;
            v = (v << 8) | b;
        }
        return v;
    }

    private void writeSlow(long pa, int len, long v, boolean bigEndian) {
        for (int i = 0; i < len; i++) {
            int shift = 8 * (bigEndian ? len - 1 - i : i);
            rawWriteByte(pa + i, (byte) (v >>> shift));
        }
    }

    @Override
    public byte readByte(long pa) {
        check(pa, 1, false);
        return rawReadByte(pa);
    }

    private byte rawReadByte(long pa) {
        MemorySegment s = readable(pa);
        return s == null ? 0 : s.get(ValueLayout.JAVA_BYTE, pa & CHUNK_MASK);
    }

    @Override
    public void writeByte(long pa, byte value) {
        check(pa, 1, true);
        rawWriteByte(pa, value);
    }

    private void rawWriteByte(long pa, byte value) {
        writable(pa).set(ValueLayout.JAVA_BYTE, pa & CHUNK_MASK, value);
    }

    @Override
    public short readShortBE(long pa) {
        check(pa, 2, false);
        if (crosses(pa, 2)) return (short) readSlow(pa, 2, true);
        MemorySegment s = readable(pa);
        return s == null ? 0 : s.get(SHORT_BE, pa & CHUNK_MASK);
    }

    @Override
    public short readShortLE(long pa) {
        check(pa, 2, false);
        if (crosses(pa, 2)) return (short) readSlow(pa, 2, false);
        MemorySegment s = readable(pa);
        return s == null ? 0 : s.get(SHORT_LE, pa & CHUNK_MASK);
    }

    @Override
    public void writeShortBE(long pa, short value) {
        check(pa, 2, true);
        if (crosses(pa, 2)) {
            writeSlow(pa, 2, value, true);
            return;
        }
        writable(pa).set(SHORT_BE, pa & CHUNK_MASK, value);
    }

    @Override
    public void writeShortLE(long pa, short value) {
        check(pa, 2, true);
        if (crosses(pa, 2)) {
            writeSlow(pa, 2, value, false);
            return;
        }
        writable(pa).set(SHORT_LE, pa & CHUNK_MASK, value);
    }

    @Override
    public int readIntBE(long pa) {
        check(pa, 4, false);
        if (crosses(pa, 4)) return (int) readSlow(pa, 4, true);
        MemorySegment s = readable(pa);
        return s == null ? 0 : s.get(INT_BE, pa & CHUNK_MASK);
    }

    @Override
    public int readIntLE(long pa) {
        check(pa, 4, false);
        if (crosses(pa, 4)) return (int) readSlow(pa, 4, false);
        MemorySegment s = readable(pa);
        return s == null ? 0 : s.get(INT_LE, pa & CHUNK_MASK);
    }

    @Override
    public void writeIntBE(long pa, int value) {
        check(pa, 4, true);
        if (crosses(pa, 4)) {
            writeSlow(pa, 4, value, true);
            return;
        }
        writable(pa).set(INT_BE, pa & CHUNK_MASK, value);
    }

    @Override
    public void writeIntLE(long pa, int value) {
        check(pa, 4, true);
        if (crosses(pa, 4)) {
            writeSlow(pa, 4, value, false);
            return;
        }
        writable(pa).set(INT_LE, pa & CHUNK_MASK, value);
    }

    @Override
    public long readLongBE(long pa) {
        check(pa, 8, false);
        if (crosses(pa, 8)) return readSlow(pa, 8, true);
        MemorySegment s = readable(pa);
        return s == null ? 0 : s.get(LONG_BE, pa & CHUNK_MASK);
    }

    @Override
    public long readLongLE(long pa) {
        check(pa, 8, false);
        if (crosses(pa, 8)) return readSlow(pa, 8, false);
        MemorySegment s = readable(pa);
        return s == null ? 0 : s.get(LONG_LE, pa & CHUNK_MASK);
    }

    @Override
    public void writeLongBE(long pa, long value) {
        check(pa, 8, true);
        if (crosses(pa, 8)) {
            writeSlow(pa, 8, value, true);
            return;
        }
        writable(pa).set(LONG_BE, pa & CHUNK_MASK, value);
    }

    @Override
    public void writeLongLE(long pa, long value) {
        check(pa, 8, true);
        if (crosses(pa, 8)) {
            writeSlow(pa, 8, value, false);
            return;
        }
        writable(pa).set(LONG_LE, pa & CHUNK_MASK, value);
    }

    /** Reads an aligned big-endian doubleword with acquire ordering (table entries read by other threads). */
    @Override
    public long readLongBEAcquire(long pa) {
        check(pa, 8, false);
        MemorySegment s = readable(pa);
        return s == null ? 0 : (long) ATOMIC_LONG_BE.getAcquire(s, pa & CHUNK_MASK);
    }

    /** Writes an aligned big-endian doubleword with release ordering (publishing a table entry). */
    public void writeLongBERelease(long pa, long value) {
        check(pa, 8, true);
        ATOMIC_LONG_BE.setRelease(writable(pa), pa & CHUNK_MASK, value);
    }

    @Override
    public boolean compareAndSetLongBE(long pa, long expected, long value) {
        check(pa, 8, true);
        if ((pa & 7) != 0) {
            throw new IllegalArgumentException("unaligned compare-and-set");
        }
        return ATOMIC_LONG_BE.compareAndSet(writable(pa), pa & CHUNK_MASK, expected, value);
    }
}
