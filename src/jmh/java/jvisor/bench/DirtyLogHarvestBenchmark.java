package jvisor.bench;

import java.util.concurrent.TimeUnit;
import jvisor.hw.power.Dsisr;
import jvisor.kvm.Kvm;
import jvisor.kvm.Vm;
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
 * What one round of live migration pays for its dirty log (KVM's dirty_log_perf_test "get dirty
 * log time"): a 128 MiB slot, every page mapped with 4K partition-scoped pages, and before each
 * harvest {@code dirty} of them written again (their C bits set through the set-R/C fault).
 *
 * <table>
 * <tr><th>benchmark</th><th>measures</th></tr>
 * <tr><td>harvest128M</td><td>KVM_GET_DIRTY_LOG of the slot: the scan of all 32768 leaves, C
 * cleared on the dirty ones, their invalidation (one by one up to 64, else one flush of the
 * partition), the saved bitmap merged. No vCPU runs, so an invalidation costs only its
 * broadcast; with running vCPUs each one must also be answered by every core</td></tr>
 * </table>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DirtyLogHarvestBenchmark {
    private static final long SIZE = 128L << 20;

    @State(Scope.Thread)
    public static class Slot {
        @Param({"16", "1024", "32768"})
        public int dirty;
        Vm<PartitionScopedMmu> vm;

        @Setup(Level.Trial)
        public void setUp() {
            PhysicalMemory phys = new PhysicalMemory(2L << 30);
            HostAddressSpace mm = new HostAddressSpace(phys);
            vm = new Kvm(phys, mm).createVm(PartitionScopedMmu.HV_RADIX);
            long hva = mm.mmap(SIZE, 0);
            vm.setUserMemoryRegion(new UserMemoryRegion(0, MemorySlot.LOG_DIRTY_PAGES, 0, SIZE, hva));
            for (long p = 0; p < SIZE; p += 4096) {
                vm.arch().handlePageFault(p, Dsisr.NO_TRANSLATION | Dsisr.STORE, p, false);
            }
            vm.getDirtyLog(0);
            write();
            long n = 0;
            for (long w : vm.getDirtyLog(0)) n += Long.bitCount(w);
            if (n != dirty) throw new IllegalStateException(n + " pages harvested, " + dirty + " written");
        }

        /** The guest writes {@code dirty} pages spread over the slot: set-R/C faults set their C bits again. */
        @Setup(Level.Invocation)
        public void write() {
            long stride = SIZE / dirty;
            for (long p = 0; p < SIZE; p += stride) {
                vm.arch().handlePageFault(p, Dsisr.RC_UPDATE | Dsisr.STORE, p, false);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            vm.destroy();
        }
    }

    @Benchmark
    public long[] harvest128M(Slot s) {
        return s.vm.getDirtyLog(0);
    }
}
