package jvisor.bench;

import java.util.concurrent.TimeUnit;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.Msr;
import jvisor.hw.power.PartitionTableEntry;
import jvisor.hw.power.Ptcr;
import jvisor.hw.power.RadixEntry;
import jvisor.hw.power.RadixMmu;
import jvisor.hw.power.RadixTreeBuilder;
import jvisor.memory.RealMemory;
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
 * A guest kernel sweeping its linear map: one 1 GiB process-scoped page over the hypervisor's
 * 2 MiB partition-scoped pages, translated 4 KiB granule after granule over 16 MiB (4096 granules,
 * four times the TLB), so that every translation misses in the TLB, as a Linux boot's
 * initialization of its memory map and page allocator does. {@code sweep} is the cost of one such
 * miss: a 2-D walk, or a refill from the 2 MiB block a walk already translated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LargePageSweepBenchmark {
    static final long GUEST_BASE = 0x2000000, GUEST_SIZE = 0x1000000, KERNEL = 0xC000000000000000L;
    static final int GRANULES = (int) (GUEST_SIZE >>> 12);

    RadixMmu mmu;
    int next;

    @Setup
    public void setUp() {
        RadixTranslationBenchmark.ArrayMemory host = new RadixTranslationBenchmark.ArrayMemory(64 << 20);
        long[] hostNext = {0x100000};
        long[] guestNext = {0x800000};
        RadixTreeBuilder hostTables = new RadixTreeBuilder(host, bytes -> RadixTranslationBenchmark.bump(hostNext, bytes), 9);
        RealMemory guest = RealMemory.window(host, GUEST_BASE, GUEST_SIZE);
        RadixTreeBuilder guestTables = new RadixTreeBuilder(guest, bytes -> RadixTranslationBenchmark.bump(guestNext, bytes), 9);
        long rwx = RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.EXECUTE | RadixEntry.REFERENCE | RadixEntry.CHANGE;
        long partitionRoot = hostTables.newRoot();
        RadixTranslationBenchmark.check(hostTables.mapRange(partitionRoot, 0, GUEST_BASE, GUEST_SIZE, 21, rwx));
        new PartitionTableEntry(PartitionTableEntry.HR | partitionRoot, PartitionTableEntry.radixDword1(0x10000, 0))
                .writeTo(host, 0x10000 + 16);
        long kernelRoot = guestTables.newRoot();
        guest.writeLongBE(0x10000, kernelRoot);
        RadixTranslationBenchmark.check(guestTables.map(kernelRoot, 0, 30, RadixEntry.pte(0, RadixEntry.PRIVILEGED | rwx)));
        MmuRegisters regs = new MmuRegisters();
        regs.ptcr = Ptcr.of(0x10000, 0);
        regs.lpidr = 1;
        mmu = new RadixMmu(regs, host, null);
        if (mmu.translate(KERNEL | 0x10, Mmu.LOAD, Msr.IR | Msr.DR) != GUEST_BASE + 0x10) {
            throw new IllegalStateException("benchmark setup failed");
        }
    }

    @Benchmark
    public long sweep() {
        int i = next = (next + 1) & (GRANULES - 1);
        return mmu.translate(KERNEL | ((long) i << 12) | 0x10, Mmu.LOAD, Msr.IR | Msr.DR);
    }
}
