package jvisor.kvm.power;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.power.Dsisr;
import jvisor.kvm.Kvm;
import jvisor.kvm.MemoryCache;
import jvisor.kvm.Vm;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.HostPage;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;
import org.junit.jupiter.api.Test;

/**
 * The partition-scoped tree's table pages come from the faulting vCPU's memory cache, topped up
 * before the MMU lock: with the host out of frames, a fault still maps through what the cache
 * holds, and a fault that needs a table the cache lacks fails cleanly.
 */
class PartitionScopedTablePagesTest {
    private static final long MIB = 1L << 20, GIB = 1L << 30;

    @Test
    void aFaultTakesItsTablesFromTheCacheAndNeverFromTheHostUnderTheLock() {
        PhysicalMemory phys = new PhysicalMemory(GIB, 16 * MIB);
        HostAddressSpace mm = new HostAddressSpace(phys);
        Kvm kvm = new Kvm(phys, mm);
        PowerHost.of(kvm);
        long baseline = phys.framesInUse();
        Vm<PartitionScopedMmu> vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        PartitionScopedMmu mmu = vm.arch();
        long hva = mm.mmap(4 * MIB, 0);
        vm.setUserMemoryRegion(new UserMemoryRegion(0, 0, 0, 4 * MIB, hva));
        // The guest's pages are resident, so the faults below need frames only for tables.
        for (long gpa : new long[] {0x5000, 0x8000, 2 * MIB + 0x1000}) {
            HostPage page = mm.getUserPage(hva + gpa, true);
            phys.put(page.pfn());
        }
        MemoryCache vcpuCache = new MemoryCache(phys, 2 * PartitionScopedMmu.MAX_NEW_TABLES);
        assertTrue(vcpuCache.topUp(PartitionScopedMmu.MAX_NEW_TABLES));
        assertEquals(6, vcpuCache.size());

        List<Long> hogged = new ArrayList<>();
        for (long pfn; (pfn = phys.allocate(0)) != PhysicalMemory.NO_FRAME; ) hogged.add(pfn);

        assertEquals(new PageFaultResult.Resume(PageFaultResult.Reason.MAPPED_4K),
                mmu.handlePageFault(0x5000, Dsisr.NO_TRANSLATION | Dsisr.STORE, 0x5000, false, vcpuCache));
        assertEquals(3, mmu.statistics().tablesAllocated.sum(), "the 1G, 2M and 4K level tables of an empty tree");
        assertEquals(3, vcpuCache.size(), "all three from the cache");

        MemoryCache dry = new MemoryCache(phys, 2 * PartitionScopedMmu.MAX_NEW_TABLES);
        PageFaultResult r = mmu.handlePageFault(2 * MIB + 0x1000, Dsisr.NO_TRANSLATION, 2 * MIB + 0x1000, false, dry);
        assertInstanceOf(PageFaultResult.Error.class, r, "a new 4K-level table was needed and nothing could supply it");
        assertEquals(0, mmu.lookup(2 * MIB + 0x1000));

        assertEquals(new PageFaultResult.Resume(PageFaultResult.Reason.MAPPED_4K),
                mmu.handlePageFault(2 * MIB + 0x1000, Dsisr.NO_TRANSLATION, 2 * MIB + 0x1000, false, vcpuCache));
        assertEquals(2, vcpuCache.size());
        assertEquals(4, mmu.statistics().tablesAllocated.sum());

        assertEquals(new PageFaultResult.Resume(PageFaultResult.Reason.MAPPED_4K),
                mmu.handlePageFault(0x8000, Dsisr.NO_TRANSLATION, 0x8000, false, dry),
                "a page whose tables exist needs nothing from a cache");

        for (long pfn : hogged) phys.put(pfn);
        vcpuCache.free();
        vm.destroy();
        assertEquals(4, mmu.statistics().tablesFreed.sum());
        mm.destroy();
        assertEquals(baseline, phys.framesInUse(), "no table page, cached page or guest page leaked");
    }
}
