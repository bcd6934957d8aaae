package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.GIB;
import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.Dsisr;
import jvisor.hw.power.RadixEntry;
import jvisor.hw.power.TranslationFault;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.HostPte;
import jvisor.memory.MemorySlot;
import org.junit.jupiter.api.Test;

/** Every branch of the partition-scoped fault handler, driven through the hardware walk. */
class PartitionScopedFaultTest {
    private final RadixVmFixture f = new RadixVmFixture();

    @Test
    void aGuestLoadFaultsInTheHostPageAndMapsItReadOnly() {
        long hva = f.addSlot(0, 0, 64 * MIB, 0, 0);
        RadixVmFixture.Core core = f.core();
        long ra = core.load(0x5008);
        long hostPte = f.mm.lookupPte(hva + 0x5000);
        assertTrue(HostPte.present(hostPte), "the host page was faulted in");
        assertEquals((HostPte.pfn(hostPte) << 12) | 0x008, ra, "the load reads the host page of the slot");
        long pte = f.mmu.lookup(0x5000);
        assertTrue(RadixEntry.valid(pte) && RadixEntry.leaf(pte));
        assertEquals(HostPte.pfn(hostPte) << 12, RadixEntry.rpn(pte));
        assertEquals(RadixEntry.READ | RadixEntry.EXECUTE | RadixEntry.REFERENCE,
                pte & (RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.EXECUTE | RadixEntry.REFERENCE | RadixEntry.CHANGE),
                "a read maps without write permission and with R preset");
        assertEquals(1, f.mmu.statistics().mapped4k.sum());
        assertEquals(1, core.faults);
    }

    @Test
    void aStoreMapsWritableWithReferenceAndChangePreset() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        RadixVmFixture.Core core = f.core();
        core.load(0x7000);
        core.store(0x7010);
        long pte = f.mmu.lookup(0x7000);
        long want = RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE;
        assertEquals(want, pte & want);
        assertEquals(2, core.faults, "the first store to a read-only mapping faults once more");
    }

    @Test
    void aReadOfAWrittenHostPageMapsItWritableAtOnce() {
        long hva = f.addSlot(0, 0, 64 * MIB, 0, 0);
        f.mm.write(hva + 0x3000, new byte[]{1}, 0, 1);
        f.core().load(0x3000);
        assertNotEquals(0, f.mmu.lookup(0x3000) & RadixEntry.READ_WRITE, "host writable and dirty: no second fault");
    }

    @Test
    void noMemslotMeansAnMmioExit() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        Object r = f.core().access(0x2000_0000L + 0x10, jvisor.hw.power.Mmu.STORE);
        assertEquals(new PageFaultResult.Mmio(0x2000_0010L, 0x2000_0010L, true), r);
        assertEquals(0, f.mmu.lookup(0x2000_0000L));
    }

    @Test
    void aFetchFromNowhereIsNotMmio() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        Object r = f.core().access(0x3000_0000L, jvisor.hw.power.Mmu.FETCH);
        assertInstanceOf(PageFaultResult.FetchFromNowhere.class, r);
    }

    @Test
    void tableWalkAndRcFaultsOutsideMemoryAreReflectedAsDsi() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        long dsisr = Dsisr.NO_TRANSLATION | Dsisr.TABLE_WALK;
        assertEquals(new PageFaultResult.Reflect(new TranslationFault.DataStorage(0x1234, dsisr)),
                f.mmu.handlePageFault(0x1234, dsisr, 0x4000_0000L, false));
        long rc = Dsisr.RC_UPDATE | Dsisr.STORE;
        assertEquals(new PageFaultResult.Reflect(new TranslationFault.DataStorage(0x99, rc)), f.mmu.handlePageFault(0x99, rc, 0x4000_0000L, false));
    }

    @Test
    void badAccessIsReflectedAndUnsupportedMmuIsAnError() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        assertEquals(new PageFaultResult.Reflect(new TranslationFault.DataStorage(0x10, Dsisr.BAD_ACCESS)),
                f.mmu.handlePageFault(0x10, Dsisr.BAD_ACCESS, 0x1000, false));
        assertInstanceOf(PageFaultResult.Error.class, f.mmu.handlePageFault(0x10, Dsisr.UNSUPPORTED_RADIX, 0x1000, false));
    }

    @Test
    void aStoreToAReadOnlySlotIsAProtectionDsi() {
        f.addSlot(0, 0, 64 * MIB, 0, MemorySlot.READONLY);
        RadixVmFixture.Core core = f.core();
        core.load(0x1000);
        Object r = core.access(0x1008, jvisor.hw.power.Mmu.STORE);
        assertEquals(new PageFaultResult.Reflect(new TranslationFault.DataStorage(0x1008, Dsisr.STORE | Dsisr.PROTECTION)), r);
        assertEquals(0, f.mmu.lookup(0x1000) & RadixEntry.READ_WRITE);
    }

    @Test
    void congruentHugeBackingIsMappedWithLargePages() {
        f.addSlot(0, 0, 8 * MIB, HostAddressSpace.MAP_HUGE_2M, 0);
        f.addSlot(1, GIB, GIB, HostAddressSpace.MAP_HUGE_1G, 0);
        RadixVmFixture.Core core = f.core();
        core.store(0x2F_0000L);
        assertEquals(21, f.mmu.mappedPageShift(0x20_0000L));
        core.load(GIB + 0x1234_5678L);
        assertEquals(30, f.mmu.mappedPageShift(GIB));
        assertEquals(1, f.mmu.statistics().mapped2m.sum());
        assertEquals(1, f.mmu.statistics().mapped1g.sum());
    }

    @Test
    void hugeBackingAtANonCongruentAddressIsMappedWithSmallPages() {
        long hva = 0x40_0000_0000L + 0x10_0000L * 0;
        f.mm.mmapFixed(hva, 4 * MIB, HostAddressSpace.MAP_HUGE_2M);
        // Guest 1 MiB..5 MiB on host 2 MiB-aligned: the 2 MiB pages straddle guest 2 MiB boundaries.
        f.vm.setUserMemoryRegion(new jvisor.memory.UserMemoryRegion(0, 0, MIB, 4 * MIB, hva));
        f.core().load(2 * MIB + 0x1000);
        assertEquals(12, f.mmu.mappedPageShift(2 * MIB + 0x1000));
    }

    @Test
    void aLargePageFallsBackToASmallOneWhenATableIsAlreadyThere() {
        // A small-page slot leaves tables behind when it is deleted; a huge slot replaces it.
        f.addSlot(0, 0, 4 * MIB, 0, 0);
        f.core().load(2 * MIB + 0x5000);
        f.vm.setUserMemoryRegion(new jvisor.memory.UserMemoryRegion(0, 0, 0, 0, 0));
        f.addSlot(1, 0, 4 * MIB, HostAddressSpace.MAP_HUGE_2M, 0);
        f.core().load(2 * MIB + 0x9000);
        assertEquals(12, f.mmu.mappedPageShift(2 * MIB + 0x9000));
        assertEquals(1, f.mmu.statistics().largePageFallbacks.sum());
        f.core().load(0x1000);
        assertEquals(21, f.mmu.mappedPageShift(0x1000), "where no table is in the way the large page is used");
    }

    @Test
    void aFaultRacingAnInvalidationRetriesInsteadOfMapping() {
        long hva = f.addSlot(0, 0, 64 * MIB, 0, 0);
        PageFaultResult[] seen = new PageFaultResult[1];
        f.mm.register(new jvisor.memory.MmuNotifier() {
            @Override
            public void invalidateRangeStart(HostAddressSpace mm, long start, long end) {
                // Runs while the hypervisor's invalidation is in progress.
                seen[0] = f.mmu.handlePageFault(0x8000, Dsisr.NO_TRANSLATION, 0x8000, false);
            }

            @Override
            public void invalidateRangeEnd(HostAddressSpace mm, long start, long end) {}
        });
        f.mm.write(hva + 0x100000, new byte[]{1}, 0, 1);
        f.mm.reclaim(hva + 0x100000, 4096);
        assertEquals(new PageFaultResult.Resume(PageFaultResult.Reason.RETRY_INVALIDATION), seen[0]);
        assertEquals(0, f.mmu.lookup(0x8000), "nothing was mapped by the fault that raced");
    }

    @Test
    void setRcFaultSetsTheChangeBitInPlace() {
        f.addSlot(0, 0, 64 * MIB, 0, MemorySlot.LOG_DIRTY_PAGES);
        RadixVmFixture.Core core = f.core();
        core.store(0x4000);
        f.vm.getDirtyLog(0);
        assertEquals(0, f.mmu.lookup(0x4000) & RadixEntry.CHANGE, "harvesting the log cleared C");
        long faultsBefore = core.faults;
        core.store(0x4008);
        assertEquals(faultsBefore + 1, core.faults, "the next store raised a set-R/C fault");
        assertEquals(1, f.mmu.statistics().setRc.sum());
        assertNotEquals(0, f.mmu.lookup(0x4000) & RadixEntry.CHANGE);
    }

    @Test
    void configureV3MmuRecordsTheProcessTableInThePartitionTable() {
        f.mmu.configureV3Mmu(PartitionScopedMmu.MMUV3_RADIX | PartitionScopedMmu.MMUV3_GTSE, 0x10_0000L | 4);
        assertEquals(0x8000_0000_0000_0000L | 0x10_0000L | 4, f.mmu.host().readPartitionTableEntry(f.mmu.lpid(), 1));
        assertTrue(f.mmu.guestTranslationShootdownEnabled());
        assertThrows(jvisor.kvm.KvmException.class, () -> f.mmu.configureV3Mmu(0, 0x10_0000L));
        assertThrows(jvisor.kvm.KvmException.class, () -> f.mmu.configureV3Mmu(1, 0x10_0800L));
    }

    @Test
    void rmmuInfoGivesPower9GeometriesAndApEncodings() {
        RmmuInfo info = f.mmu.rmmuInfo();
        assertEquals(java.util.List.of(9, 9, 9, 13), info.geometries().get(0).levelBits());
        assertEquals(java.util.List.of(5, 9, 9, 13), info.geometries().get(1).levelBits());
        assertEquals(java.util.List.of(12, 16 | (5 << 29), 21 | (1 << 29), 30 | (2 << 29)), info.apEncodings());
        assertEquals(1, f.vm.checkExtension(jvisor.kvm.Capability.PPC_MMU_RADIX));
        assertEquals(0, f.vm.checkExtension(jvisor.kvm.Capability.PPC_MMU_HASH_V3));
        assertEquals(512, f.vm.checkExtension(jvisor.kvm.Capability.NR_MEMSLOTS));
    }

    @Test
    void vmsGetDistinctLpidsAndGiveThemBack() {
        var second = f.kvm.createVm(PartitionScopedMmu.HV_RADIX);
        assertNotEquals(f.mmu.lpid(), second.arch().lpid());
        int lpid = second.arch().lpid();
        second.destroy();
        assertEquals(lpid, f.kvm.createVm(PartitionScopedMmu.HV_RADIX).arch().lpid());
    }
}
