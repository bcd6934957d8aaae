package jvisor.hw.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

class X86MmuTlbTest {
    private final PhysicalMemory phys = new PhysicalMemory(1L << 30);
    private final RealTables tables = new RealTables(phys);
    private final long dir = phys.allocate(0);
    private final long table = phys.allocate(0);
    private final X86Mmu mmu = new X86Mmu(tables, 64);

    private void map(long va, long pfn, int flags) {
        tables.writeEntry(X86Pte.directoryEntryAddress(dir << 12, va), X86Pte.make(table, X86Pte.TABLE_FLAGS));
        tables.writeEntry((table << 12) + 4L * X86Pte.tableIndex(va), X86Pte.make(pfn, flags));
    }

    @Test
    void missWalksTwoEntriesAndHitWalksNone() {
        map(0x1000, 0x55, X86Pte.PRESENT | X86Pte.RW);
        mmu.loadCr3(dir << 12);
        assertEquals(0x55004L, mmu.translate(0x1004, false, false));
        assertEquals(2, mmu.tableReads());
        assertEquals(0x55008L, mmu.translate(0x1008, false, false));
        assertEquals(2, mmu.tableReads());
        assertEquals(1, mmu.tlbHits());
    }

    @Test
    void cr3LoadFlushesAllButGlobalEntries() {
        map(0x1000, 0x55, X86Pte.PRESENT | X86Pte.RW);
        map(0x2000, 0x56, X86Pte.PRESENT | X86Pte.RW | X86Pte.GLOBAL);
        mmu.loadCr3(dir << 12);
        mmu.translate(0x1000, false, false);
        mmu.translate(0x2000, false, false);
        mmu.loadCr3(dir << 12);
        assertEquals(1, mmu.tlb().validEntries());
        // The global entry survives even when the table no longer says so, until INVLPG.
        map(0x2000, 0x77, X86Pte.PRESENT | X86Pte.RW | X86Pte.GLOBAL);
        assertEquals(0x56000L, mmu.translate(0x2000, false, false));
        mmu.invlpg(0x2000);
        assertEquals(0x77000L, mmu.translate(0x2000, false, false));
    }

    @Test
    void firstWriteThroughCleanTlbEntryWalksToSetDirty() {
        map(0x1000, 0x55, X86Pte.PRESENT | X86Pte.RW);
        mmu.loadCr3(dir << 12);
        mmu.translate(0x1000, false, false);
        long reads = mmu.tableReads();
        mmu.translate(0x1000, true, false);
        assertEquals(reads + 2, mmu.tableReads());
        assertTrue(X86Pte.dirty(tables.readEntry((table << 12) + 4)));
    }

    @Test
    void faultLeavesCr2AndErrorCode() {
        mmu.loadCr3(dir << 12);
        assertEquals(X86Mmu.PAGE_FAULT, mmu.translate(0x0040_2000L, true, true));
        assertEquals(0x0040_2000L, mmu.cr2());
        assertEquals(PageFaultErrorCode.WRITE | PageFaultErrorCode.USER, mmu.errorCode());
    }

    @Test
    void addressesBeyondTheSegmentLimitAreGeneralProtection() {
        mmu.setSegmentLimit(0xFFBF_FFFFL);
        assertEquals(X86Mmu.GENERAL_PROTECTION, mmu.translate(0xFFC0_0000L, false, false));
    }

    @Test
    void tlbPermissionsAreCheckedOnHits() {
        map(0x1000, 0x55, X86Pte.PRESENT | X86Pte.RW);
        mmu.loadCr3(dir << 12);
        mmu.translate(0x1000, false, false);
        assertEquals(X86Mmu.PAGE_FAULT, mmu.translate(0x1000, false, true));
        assertEquals(PageFaultErrorCode.PROTECTION | PageFaultErrorCode.USER, mmu.errorCode());
    }
}
