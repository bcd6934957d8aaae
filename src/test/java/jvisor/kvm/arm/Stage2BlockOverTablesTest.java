package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.arm.Descriptor;
import jvisor.hw.arm.Stage2Descriptor;
import jvisor.kvm.MemoryCache;
import jvisor.kvm.Vm;
import jvisor.memory.PageSizes;
import org.junit.jupiter.api.Test;

/**
 * A block that replaces tables several levels deep: the table entry is broken once, the subtree's
 * entries are dropped and its pages freed on the way back up, and the block is made in its place.
 */
class Stage2BlockOverTablesTest {

    @Test
    void aGigabyteBlockOverTwoLevelsOfTablesFreesEveryOneOfThemAfterOneInvalidation() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        Stage2PageTable pgt = vm.arch().pageTable();
        MemoryCache cache = new MemoryCache(f.pm, 8);
        long gig = f.pm.allocate(PageSizes.ORDER_1G) << 12;
        long attrs = Stage2Descriptor.attributes(Stage2Descriptor.PROT_R | Stage2Descriptor.PROT_W);
        vm.mmuLock().lock();
        try {
            // Pages in three 2M regions of the second gigabyte: one level-2 and three level-3 tables.
            for (long region : new long[] {0, 7, 300}) {
                for (long i = 0; i < 4; i++) {
                    long off = region * 2 * MIB + 4096 * i;
                    assertTrue(cache.topUp(3));
                    assertEquals(Stage2PageTable.OK, pgt.map(GIB + off, 4096, gig + off, 12, attrs, cache, 0));
                }
            }
            assertEquals(2 + 4, pgt.tablesInUse());
            long frames = f.pm.framesInUse();
            long breaks = pgt.breakBeforeMake.sum();
            long flushes = f.arm.hyp().ipaFlushes.sum();

            assertEquals(Stage2PageTable.OK, pgt.map(GIB, GIB, gig, 30, attrs, cache, 0));

            assertEquals(breaks + 1, pgt.breakBeforeMake.sum(), "one break for the whole subtree");
            assertEquals(flushes + 1, f.arm.hyp().ipaFlushes.sum(), "one TLB invalidation, before any page was freed");
            assertEquals(2, pgt.tablesInUse());
            assertEquals(frames - 4, f.pm.framesInUse(), "the four table pages went back to the host");
            long d = pgt.lookup(GIB + 7 * 2 * MIB + 0x1234);
            assertEquals(1, pgt.lastLevel, "a block at level 1");
            assertEquals(gig, Descriptor.leafAddress(d, 1));
            for (int page = 0; page < pgt.rootTables(); page++) {
                Stage2RefcountTest.checkInvariant(f.pm, pgt.rootPa() + 4096L * page, pgt.startLevel(), 512);
            }
            assertEquals(1, pgt.unmap(0, 1L << 40));
        } finally {
            vm.mmuLock().unlock();
        }
        cache.free();
        f.pm.put(gig >>> 12);
        vm.destroy();
        assertEquals(0, vm.arch().brokenTablesAtDestroy());
        assertEquals(1, f.pm.framesInUse(), "only the EL2 root is left");
    }
}
