package jvisor.bench;

import jvisor.hw.power.Msr;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

import jvisor.hw.power.Mmu;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.PartitionTableEntry;
import jvisor.hw.power.ProcessTableWatch;
import jvisor.hw.power.Ptcr;
import jvisor.hw.power.RadixEntry;
import jvisor.hw.power.RadixMmu;
import jvisor.hw.power.RadixTranslator;
import jvisor.hw.power.RadixTreeBuilder;
import jvisor.hw.power.Tlbie;
import jvisor.memory.RealMemory;

/**
 * POWER9 radix translation: a guest (LPID 1) with a 4-level process-scoped tree of 4K pages over
 * a 4-level partition-scoped tree of 4K pages, in 64 MiB of host memory.
 *
 * <table>
 * <tr><th>benchmark</th><th>what it measures</th></tr>
 * <tr><td>tlbHit</td><td>{@code RadixMmu.translate} of a load whose 4K granule is in the TLB,
 * cycling over 64 pages: the per-access cost the core pays on every fetch, load and store</td></tr>
 * <tr><td>tlbHitAmrChecked</td><td>the same for privileged loads from non-privileged pages, where
 * AMR key 0 is checked on every hit</td></tr>
 * <tr><td>nestedWalkFlushed</td><td>context change (TLB, PATE and PRTE dropped) then a translation:
 * the full 2-D walk, 2 PATE + 5 PRTE + 24 table reads, plus the TLB flush and fill</td></tr>
 * <tr><td>tlbMissAfterGuestTlbie</td><td>the guest's own single-page tlbie then a translation:
 * the PATE and PRTE are read again, the partition-scoped translations of the guest's table pages
 * come from the nested walk's cache</td></tr>
 * <tr><td>kernelPatchFlush</td><td>Linux's flushes after patching a word of its code (one page,
 * then PID 0 twice) and four translations after them</td></tr>
 * <tr><td>nestedWalkFlushedWatched</td><td>nestedWalkFlushed with the tables watched
 * ({@link ProcessTableWatch}), as a core's MMU is: the walk also registers the process table
 * entry and the four tables it read (each found in the core's memory of recent ones)</td></tr>
 * <tr><td>nestedWalkOnly</td><td>the same 31-read 2-D walk through {@code RadixMmu.explain} (no TLB,
 * no cached PATE/PRTE, no listener): the walk without the flush and fill</td></tr>
 * <tr><td>largePageSweep</td><td>a guest kernel sweeping its linear map ({@link LargePages}): one
 * 1G process-scoped page over 2M partition-scoped pages, translated 4K granule after granule over
 * 16 MiB (four times the TLB), so every translation misses as a Linux boot's initialization of its
 * memory map does: a 2-D walk, or a refill from the 2M block a walk already translated</td></tr>
 * </table>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RadixTranslationBenchmark {
    static final long GUEST_BASE = 0x2000000, GUEST_SIZE = 0x1000000;
    static final long MSR_GUEST_OS = Msr.IR | Msr.DR;
    /** Quadrant 3 of the effective address space: the guest kernel's addresses (PID 0). */
    static final long KERNEL = 0xC000000000000000L;
    static final int PAGES = 64;

    MmuRegisters regs;
    RadixMmu mmu, watchedMmu;
    long[] kernelEas = new long[PAGES];
    long[] userEas = new long[PAGES];
    int next;

    @Setup
    public void setUp() {
        Guest g = new Guest(12);
        long kernelRoot = g.processRoot(0), userRoot = g.processRoot(5);
        for (int i = 0; i < PAGES; i++) {
            // Pages spread over the tree so that the walk does not share directories trivially.
            long ea = ((long) i << 21) | ((long) i << 12);
            kernelEas[i] = KERNEL | ea | 0x10;
            check(g.guestTables.map(kernelRoot, ea, 12, RadixEntry.pte(0x100000 + ((long) i << 12),
                    RadixEntry.PRIVILEGED | RWX)));
            userEas[i] = ea | 0x10;
            check(g.guestTables.map(userRoot, ea, 12, RadixEntry.pte(0x200000 + ((long) i << 12), RWX)));
        }
        regs = new MmuRegisters();
        regs.pidr = 5;
        mmu = g.mmu(regs);
        for (int i = 0; i < PAGES; i++) {
            check(mmu.translate(kernelEas[i], Mmu.LOAD, MSR_GUEST_OS) >= 0 ? RadixTreeBuilder.MAPPED : -1);
            check(mmu.translate(userEas[i], Mmu.LOAD, MSR_GUEST_OS) >= 0 ? RadixTreeBuilder.MAPPED : -1);
        }
        MmuRegisters watchedRegs = new MmuRegisters();
        watchedRegs.pidr = 5;
        watchedMmu = g.mmu(watchedRegs);
        watchedMmu.watchTables(new ProcessTableWatch(page -> { }, page -> { }));
    }

    /** Normal memory: read, write and execute, R and C set. */
    static final long RWX = RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.EXECUTE | RadixEntry.REFERENCE | RadixEntry.CHANGE;

    /**
     * 64 MiB of host memory holding guest LPID 1: its partition table entry, all of its 16 MiB of
     * guest real memory mapped partition-scoped in pages of 2^partitionShift, its process table
     * at guest 0x10000 and a builder of its process-scoped trees.
     */
    static final class Guest {
        final ArrayMemory host = new ArrayMemory(64 << 20);
        final RealMemory memory = RealMemory.window(host, GUEST_BASE, GUEST_SIZE);
        private final long[] hostNext = {0x100000}, guestNext = {0x800000};
        final RadixTreeBuilder guestTables = new RadixTreeBuilder(memory, bytes -> bump(guestNext, bytes), 9);

        Guest(int partitionShift) {
            RadixTreeBuilder hostTables = new RadixTreeBuilder(host, bytes -> bump(hostNext, bytes), 9);
            long partitionRoot = hostTables.newRoot();
            check(hostTables.mapRange(partitionRoot, 0, GUEST_BASE, GUEST_SIZE, partitionShift, RWX));
            new PartitionTableEntry(PartitionTableEntry.HR | partitionRoot, PartitionTableEntry.radixDword1(0x10000, 0))
                    .writeTo(host, 0x10000 + 16);
        }

        /** A new process-scoped tree for {@code pid}, entered in the process table: its root. */
        long processRoot(long pid) {
            long root = guestTables.newRoot();
            memory.writeLongBE(0x10000 + 16 * pid, root);
            return root;
        }

        /** A core's MMU running this guest (PTCR and LPIDR set in {@code regs}). */
        RadixMmu mmu(MmuRegisters regs) {
            regs.ptcr = Ptcr.of(0x10000, 0);
            regs.lpidr = 1;
            return new RadixMmu(regs, host, null);
        }
    }

    private static long bump(long[] next, long bytes) {
        long a = (next[0] + bytes - 1) & -bytes;
        next[0] = a + bytes;
        return a;
    }

    private static void check(int status) {
        if (status != RadixTreeBuilder.MAPPED) {
            throw new IllegalStateException("benchmark setup failed: " + status);
        }
    }

    @Benchmark
    public long tlbHit() {
        int i = next = (next + 1) & (PAGES - 1);
        return mmu.translate(kernelEas[i], Mmu.LOAD, MSR_GUEST_OS);
    }

    @Benchmark
    public long tlbHitAmrChecked() {
        int i = next = (next + 1) & (PAGES - 1);
        return mmu.translate(userEas[i], Mmu.LOAD, MSR_GUEST_OS);
    }

    @Benchmark
    public long nestedWalkFlushed() {
        int i = next = (next + 1) & (PAGES - 1);
        mmu.contextChanged();
        return mmu.translate(kernelEas[i], Mmu.LOAD, MSR_GUEST_OS);
    }

    /**
     * A TLB miss as a guest makes them: its own tlbie of the page (process-scoped, one address)
     * first, so the cached PATE and PRTE are dropped but the partition-scoped translations of
     * the guest's table pages may stay cached (hardware's page walk cache).
     */
    @Benchmark
    public long tlbMissAfterGuestTlbie() {
        int i = next = (next + 1) & (PAGES - 1);
        mmu.invalidateLocal(Tlbie.processPage(1, 0, kernelEas[i], 12));
        return mmu.translate(kernelEas[i], Mmu.LOAD, MSR_GUEST_OS);
    }

    /**
     * What Linux does after each patch of its own code at boot: a tlbie of the page it was written
     * through and two of the whole of PID 0 (one of them RIC=2), then the kernel touches its
     * pages again. The TLB holds the 64 kernel and 64 user pages of the setup before; the flushes
     * drop the kernel's, so the four translations after them walk.
     */
    @Benchmark
    public long kernelPatchFlush() {
        int i = next = (next + 4) & (PAGES - 1);
        mmu.invalidateLocal(Tlbie.processPage(1, 0, kernelEas[i], 16));
        mmu.invalidateLocal(new Tlbie(Tlbie.RIC_TLB, true, true, Tlbie.IS_PID, 0, -1, 1, 0));
        mmu.invalidateLocal(Tlbie.process(1, 0));
        long sum = 0;
        for (int k = 0; k < 4; k++) {
            sum += mmu.translate(kernelEas[(i + k) & (PAGES - 1)], Mmu.LOAD, MSR_GUEST_OS);
        }
        return sum;
    }

    @Benchmark
    public long nestedWalkFlushedWatched() {
        int i = next = (next + 1) & (PAGES - 1);
        watchedMmu.contextChanged();
        return watchedMmu.translate(kernelEas[i], Mmu.LOAD, MSR_GUEST_OS);
    }

    @Benchmark
    public long nestedWalkOnly() {
        int i = next = (next + 1) & (PAGES - 1);
        return mmu.explain(kernelEas[i], Mmu.LOAD, MSR_GUEST_OS, null);
    }

    @Benchmark
    public long largePageSweep(LargePages sweep) {
        int i = sweep.next = (sweep.next + 1) & (LargePages.GRANULES - 1);
        return sweep.mmu.translate(KERNEL | ((long) i << 12) | 0x10, Mmu.LOAD, MSR_GUEST_OS);
    }

    /** The machine of {@link #largePageSweep}: the guest kernel's 1G page at guest real 0, the hypervisor's 2M pages under it. */
    @State(Scope.Thread)
    public static class LargePages {
        static final int GRANULES = (int) (GUEST_SIZE >>> 12);
        RadixMmu mmu;
        int next;

        @Setup
        public void setUp() {
            Guest g = new Guest(21);
            check(g.guestTables.map(g.processRoot(0), 0, 30, RadixEntry.pte(0, RadixEntry.PRIVILEGED | RWX)));
            mmu = g.mmu(new MmuRegisters());
            if (mmu.translate(KERNEL | 0x10, Mmu.LOAD, MSR_GUEST_OS) != GUEST_BASE + 0x10) {
                throw new IllegalStateException("benchmark setup failed");
            }
        }
    }

    /** Host memory for the benchmark: a byte array, big-endian doublewords through a VarHandle. */
    static final class ArrayMemory implements RealMemory {
        private static final VarHandle BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
        private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private final byte[] bytes;

        ArrayMemory(int size) {
            bytes = new byte[size];
        }

        @Override public long size() { return bytes.length; }
        @Override public byte readByte(long a) { return bytes[(int) a]; }
        @Override public void writeByte(long a, byte v) { bytes[(int) a] = v; }
        @Override public short readShortBE(long a) { return (short) ((bytes[(int) a] << 8) | (bytes[(int) a + 1] & 0xFF)); }
        @Override public short readShortLE(long a) { return (short) ((bytes[(int) a + 1] << 8) | (bytes[(int) a] & 0xFF)); }
        @Override public void writeShortBE(long a, short v) { bytes[(int) a] = (byte) (v >> 8); bytes[(int) a + 1] = (byte) v; }
        @Override public void writeShortLE(long a, short v) { bytes[(int) a + 1] = (byte) (v >> 8); bytes[(int) a] = (byte) v; }
        @Override public int readIntBE(long a) { return (int) (readLongBE(a & ~7L) >>> (32 - 8 * (a & 4))); }
        @Override public int readIntLE(long a) { return Integer.reverseBytes(readIntBE(a)); }
        @Override public void writeIntBE(long a, int v) { for (int k = 0; k < 4; k++) { bytes[(int) a + k] = (byte) (v >>> (24 - 8 * k)); } }
        @Override public void writeIntLE(long a, int v) { writeIntBE(a, Integer.reverseBytes(v)); }
        @Override public long readLongBE(long a) { return (long) BE.get(bytes, (int) a); }
        @Override public long readLongLE(long a) { return (long) LE.get(bytes, (int) a); }
        @Override public void writeLongBE(long a, long v) { BE.set(bytes, (int) a, v); }
        @Override public void writeLongLE(long a, long v) { LE.set(bytes, (int) a, v); }
        @Override public long readLongBEAcquire(long a) {
            long v = readLongBE(a);
            VarHandle.acquireFence();
            return v;
        }
        @Override public boolean compareAndSetLongBE(long a, long e, long v) {
            return BE.compareAndSet(bytes, (int) a, e, v);
        }
    }
}
