package jvisor.bench;

import java.util.concurrent.TimeUnit;
import jvisor.hw.power.Dsisr;
import jvisor.kvm.Kvm;
import jvisor.kvm.MemoryCache;
import jvisor.kvm.Vm;
import jvisor.kvm.power.PageFaultResult;
import jvisor.kvm.power.PartitionScopedMmu;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.MemorySlot;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The hypervisor's side of guest memory: partition-scoped faults and the dirty log.
 *
 * <table>
 * <tr><th>benchmark</th><th>measures</th></tr>
 * <tr><td>fault</td><td>HDSI on a never-touched guest page: memslot lookup, host page fault-in
 * (frame allocation), partition-scoped PTE insert with the notifier check; one new 4K page per
 * operation, tables taken from a vCPU's memory cache as the guest address grows (faults per
 * second)</td></tr>
 * <tr><td>faultHuge</td><td>the same with 2M host backing: one 2M mapping per operation</td></tr>
 * <tr><td>dirtyLog16G</td><td>KVM_GET_DIRTY_LOG of a 16 GiB slot with 256 MiB of it mapped and
 * written: merge of the saved bitmap, C-bit scan of every mapping, holes skipped a level at a time</td></tr>
 * </table>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PartitionScopedFaultBenchmark {

    private static final long GIB = 1L << 30;

    @State(Scope.Thread)
    public static class Faulting {
        @Param({"false", "true"})
        public boolean huge;
        PartitionScopedMmu mmu;
        /** The faulting vCPU's table pages, as PowerVcpu keeps them. */
        MemoryCache cache;
        long next;
        long limit;
        long step;

        @Setup(Level.Iteration)
        public void setUp() {
            PhysicalMemory phys = new PhysicalMemory(64 * GIB);
            HostAddressSpace mm = new HostAddressSpace(phys);
            Kvm kvm = new Kvm(phys, mm);
            Vm<PartitionScopedMmu> vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
            limit = 32 * GIB;
            long hva = mm.mmap(limit, huge ? HostAddressSpace.MAP_HUGE_2M : 0);
            vm.setUserMemoryRegion(new UserMemoryRegion(0, 0, 0, limit, hva));
            mmu = vm.arch();
            cache = new MemoryCache(phys, 2 * PartitionScopedMmu.MAX_NEW_TABLES);
            next = 0;
            step = huge ? (2L << 20) : 4096;
        }
    }

    @Benchmark
    public PageFaultResult fault(Faulting s) {
        long gpa = s.next;
        s.next = (s.next + s.step) % s.limit;
        return s.mmu.handlePageFault(gpa, Dsisr.NO_TRANSLATION, gpa, false, s.cache);
    }

    @State(Scope.Thread)
    public static class Logging {
        Vm<PartitionScopedMmu> vm;

        @Setup(Level.Trial)
        public void setUp() {
            PhysicalMemory phys = new PhysicalMemory(64 * GIB);
            HostAddressSpace mm = new HostAddressSpace(phys);
            Kvm kvm = new Kvm(phys, mm);
            vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
            long size = 16 * GIB;
            long hva = mm.mmap(size, 0);
            vm.setUserMemoryRegion(new UserMemoryRegion(0, MemorySlot.LOG_DIRTY_PAGES, 0, size, hva));
            PartitionScopedMmu mmu = vm.arch();
            // 256 MiB written, spread over the slot in 1 MiB runs every 64 MiB.
            for (long run = 0; run < 256; run++) {
                long base = run * 64 * (1L << 20);
                for (long p = 0; p < (1L << 20); p += 4096) {
                    mmu.handlePageFault(base + p, Dsisr.NO_TRANSLATION | Dsisr.STORE, base + p, false);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            vm.destroy();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long[] dirtyLog16G(Logging s) {
        return s.vm.getDirtyLog(0);
    }
}
