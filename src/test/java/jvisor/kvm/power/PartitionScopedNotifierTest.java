package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.RadixEntry;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.HostPte;
import jvisor.memory.MemorySlot;
import jvisor.memory.UserMemoryRegion;
import org.junit.jupiter.api.Test;

/** The MMU-notifier handlers, aging, the dirty log, slot changes and teardown. */
class PartitionScopedNotifierTest {
    private final RadixVmFixture f = new RadixVmFixture();

    @Test
    void reclaimClearsTheWholeEntryAndKeepsTheDirtyBit() {
        long hva = f.addSlot(0, 0, 64 * MIB, 0, MemorySlot.LOG_DIRTY_PAGES);
        RadixVmFixture.Core core = f.core();
        long before = core.store(0x6000);
        long tlbies = f.mmu.statistics().tlbies.sum();
        f.mm.reclaim(hva + 0x6000, 4096);
        assertEquals(0, f.mmu.lookup(0x6000), "the whole PTE is cleared, not just V");
        assertEquals(tlbies + 1, f.mmu.statistics().tlbies.sum());
        assertTrue(f.vm.memslots().byId(0).dirtyBitmap().isDirty(6), "C went to the dirty bitmap");
        long after = core.store(0x6000);
        assertNotEquals(-1, after);
        assertTrue(HostPte.present(f.mm.lookupPte(hva + 0x6000)), "the page was swapped back in for the guest");
        assertTrue(before >= 0);
    }

    /** A 2M mapping made before logging, then logging switched on: the large mapping's C bit dirties all 512 pages. */
    private long largeMappingThenLogging() {
        long hva = f.addSlot(0, 0, 8 * MIB, HostAddressSpace.MAP_HUGE_2M, 0);
        f.core().store(2 * MIB + 0x40);
        assertEquals(1, f.mmu.statistics().mapped2m.sum(), "mapped 2M while the slot did not log");
        f.vm.setUserMemoryRegion(new jvisor.memory.UserMemoryRegion(0, MemorySlot.LOG_DIRTY_PAGES, 0, 8 * MIB, hva));
        assertEquals(0, f.mmu.lookup(2 * MIB + 0x40), "switching logging on removed the large mapping");
        return hva;
    }

    @Test
    void switchingLoggingOnCarriesALargeMappingsChangeIntoEverySmallPage() {
        largeMappingThenLogging();
        var bitmap = f.vm.memslots().byId(0).dirtyBitmap();
        assertEquals(512, bitmap.count());
        assertTrue(bitmap.isDirty(512) && bitmap.isDirty(1023) && !bitmap.isDirty(511) && !bitmap.isDirty(1024));
    }

    @Test
    void aLoggingSlotIsMapped4KSoAStoreDirtiesOnePage() {
        largeMappingThenLogging();
        f.vm.getDirtyLog(0);
        long mapped2m = f.mmu.statistics().mapped2m.sum();
        f.core().store(4 * MIB + 8);
        assertEquals(mapped2m, f.mmu.statistics().mapped2m.sum(), "no large mapping under logging");
        long[] log = f.vm.getDirtyLog(0);
        int n = 0;
        for (long w : log) n += Long.bitCount(w);
        assertEquals(1, n);
        assertEquals(1L, log[(4 * 256) / 64]);
    }

    @Test
    void migrationDropsTheOldTranslationAndTheNextAccessSeesTheNewPage() {
        long hva = f.addSlot(0, 0, 64 * MIB, 0, 0);
        RadixVmFixture.Core core = f.core();
        long old = core.store(0x9000);
        f.mm.migrate(hva + 0x9000, 4096);
        assertEquals(0, f.mmu.lookup(0x9000));
        long now = core.store(0x9000);
        assertNotEquals(old, now);
        assertEquals(HostPte.pfn(f.mm.lookupPte(hva + 0x9000)) << 12, now);
    }

    @Test
    void agingClearsReferenceAndTestAgeReportsIt() {
        long hva = f.addSlot(0, 0, 64 * MIB, 0, 0);
        RadixVmFixture.Core core = f.core();
        core.load(0xA000);
        assertTrue(f.mm.testYoung(hva + 0xA000));
        assertTrue(f.mm.clearYoung(hva, 64 * MIB));
        assertEquals(0, f.mmu.lookup(0xA000) & RadixEntry.REFERENCE);
        assertFalse(f.mm.testYoung(hva + 0xA000));
        core.load(0xA000);
        assertNotEquals(0, f.mmu.lookup(0xA000) & RadixEntry.REFERENCE, "the next access set R again");
        assertTrue(f.mm.testYoung(hva + 0xA000));
    }

    @Test
    void dirtyLogMergesSavedBitsScansChangeBitsAndRearms() {
        long hva = f.addSlot(0, 0, 16 * MIB, 0, MemorySlot.LOG_DIRTY_PAGES);
        RadixVmFixture.Core core = f.core();
        core.store(0x1000);
        core.store(0x3000);
        core.load(0x5000);
        core.store(0x7000);
        f.mm.reclaim(hva + 0x7000, 4096); // its dirtiness is saved in the bitmap
        long[] log = f.vm.getDirtyLog(0);
        assertEquals((1L << 1) | (1L << 3) | (1L << 7), log[0]);
        assertEquals(0, f.vm.getDirtyLog(0)[0], "nothing written since");
        core.store(0x3000);
        assertEquals(1L << 3, f.vm.getDirtyLog(0)[0]);
    }

    @Test
    void dirtyLogOfASlotThatDoesNotLogIsRefused() {
        f.addSlot(0, 0, 16 * MIB, 0, 0);
        assertThrows(jvisor.kvm.KvmException.class, () -> f.vm.getDirtyLog(0));
        assertThrows(jvisor.kvm.KvmException.class, () -> f.vm.getDirtyLog(7));
    }

    @Test
    void deletingOrMovingASlotFlushesItsTranslations() {
        long hva = f.addSlot(0, 0, 16 * MIB, 0, 0);
        RadixVmFixture.Core core = f.core();
        core.store(0x2000);
        f.vm.setUserMemoryRegion(new UserMemoryRegion(0, 0, 32 * MIB, 16 * MIB, hva));
        assertEquals(0, f.mmu.lookup(0x2000));
        assertInstanceOf(PageFaultResult.Mmio.class, core.access(0x2000, jvisor.hw.power.Mmu.LOAD),
                "the old address is no longer memory, and no stale TLB entry says otherwise");
        core.load(32 * MIB + 0x2000);
        f.vm.setUserMemoryRegion(new UserMemoryRegion(0, 0, 32 * MIB, 0, hva));
        assertEquals(0, f.mmu.lookup(32 * MIB + 0x2000));
    }

    @Test
    void destroyingTheVmAndTheProcessReturnsEveryFrame() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        f.addSlot(1, 64 * MIB, 8 * MIB, HostAddressSpace.MAP_HUGE_2M, 0);
        RadixVmFixture.Core core = f.core();
        for (long a = 0; a < 72 * MIB; a += 256 * 1024) core.store(a);
        assertTrue(f.mmu.tablePages() > 16);
        f.vm.destroy();
        assertEquals(f.mmu.statistics().tablesAllocated.sum(), f.mmu.statistics().tablesFreed.sum());
        f.mm.destroy();
        assertEquals(f.baselineFrames, f.phys.framesInUse(), "no table page or guest page leaked");
    }
}
