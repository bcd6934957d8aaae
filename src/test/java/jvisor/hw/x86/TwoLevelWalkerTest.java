package jvisor.hw.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

class TwoLevelWalkerTest {
    private final PhysicalMemory phys = new PhysicalMemory(1L << 30);
    private final RealTables tables = new RealTables(phys);
    private final long dir = phys.allocate(0);
    private final long table = phys.allocate(0);
    private final long page = phys.allocate(0);
    private static final long VA = 0x0804_8123L;

    private void map(int pdeFlags, int pteFlags) {
        tables.writeEntry(X86Pte.directoryEntryAddress(dir << 12, VA), X86Pte.make(table, pdeFlags));
        tables.writeEntry(X86Pte.tableEntryAddress(X86Pte.make(table, pdeFlags), VA), X86Pte.make(page, pteFlags));
    }

    private int pte() {
        return tables.readEntry((table << 12) + 4L * X86Pte.tableIndex(VA));
    }

    private long walk(boolean write, boolean user) {
        return TwoLevelWalker.walk(tables, dir << 12, VA, X86Access.of(write, user) | X86Access.WRITE_PROTECT
                | X86Access.SET_ACCESSED_DIRTY);
    }

    @Test
    void translatesThroughBothLevelsToTheByteInThePage() {
        map(X86Pte.TABLE_FLAGS, X86Pte.PRESENT | X86Pte.RW | X86Pte.USER);
        long r = walk(false, true);
        assertFalse(TwoLevelWalker.faulted(r));
        assertEquals((page << 12) | 0x123, TwoLevelWalker.physicalAddress(r, VA));
    }

    @Test
    void notPresentDirectoryGivesANotPresentFaultCode() {
        long r = walk(true, true);
        assertTrue(TwoLevelWalker.faulted(r));
        assertEquals(PageFaultErrorCode.WRITE | PageFaultErrorCode.USER, TwoLevelWalker.errorCode(r));
    }

    @Test
    void userWriteToReadOnlyPageIsAProtectionFault() {
        map(X86Pte.TABLE_FLAGS, X86Pte.PRESENT | X86Pte.USER);
        long r = walk(true, true);
        assertEquals(PageFaultErrorCode.PROTECTION | PageFaultErrorCode.WRITE | PageFaultErrorCode.USER,
                TwoLevelWalker.errorCode(r));
    }

    @Test
    void rightsAreTheAndOfBothLevels() {
        map(X86Pte.PRESENT | X86Pte.USER, X86Pte.PRESENT | X86Pte.RW | X86Pte.USER);
        assertTrue(TwoLevelWalker.faulted(walk(true, true)), "directory without RW forbids the write");
        map(X86Pte.PRESENT | X86Pte.RW, X86Pte.PRESENT | X86Pte.RW | X86Pte.USER);
        assertTrue(TwoLevelWalker.faulted(walk(false, true)), "directory without USER forbids user access");
        assertFalse(TwoLevelWalker.faulted(walk(false, false)), "supervisor may still read");
    }

    @Test
    void supervisorWriteToReadOnlyPageFaultsOnlyWithWriteProtect() {
        map(X86Pte.TABLE_FLAGS, X86Pte.PRESENT);
        assertTrue(TwoLevelWalker.faulted(TwoLevelWalker.walk(tables, dir << 12, VA,
                X86Access.WRITE | X86Access.WRITE_PROTECT | X86Access.SET_ACCESSED_DIRTY)));
        assertFalse(TwoLevelWalker.faulted(TwoLevelWalker.walk(tables, dir << 12, VA,
                X86Access.WRITE | X86Access.SET_ACCESSED_DIRTY)));
    }

    @Test
    void readSetsAccessedAndWriteSetsDirty() {
        map(X86Pte.PRESENT | X86Pte.RW | X86Pte.USER, X86Pte.PRESENT | X86Pte.RW | X86Pte.USER);
        walk(false, true);
        assertTrue(X86Pte.accessed(pte()));
        assertFalse(X86Pte.dirty(pte()));
        assertTrue(X86Pte.accessed(tables.readEntry(X86Pte.directoryEntryAddress(dir << 12, VA))));
        walk(true, true);
        assertTrue(X86Pte.dirty(pte()));
    }

    @Test
    void faultingAccessLeavesAccessedAndDirtyAlone() {
        map(X86Pte.PRESENT | X86Pte.USER, X86Pte.PRESENT | X86Pte.USER);
        walk(true, true);
        assertFalse(X86Pte.accessed(pte()));
        assertFalse(X86Pte.dirty(pte()));
    }

    @Test
    void inspectionWalkDoesNotWrite() {
        map(X86Pte.TABLE_FLAGS, X86Pte.PRESENT | X86Pte.RW);
        TwoLevelWalker.walk(tables, dir << 12, VA, X86Access.WRITE | X86Access.WRITE_PROTECT);
        assertFalse(X86Pte.accessed(pte()));
    }

    @Test
    void largePageNeedsPseAndReservedBitsFault() {
        int pde = (int) 0x0800_0000L | X86Pte.PRESENT | X86Pte.RW | X86Pte.PSE;
        tables.writeEntry(X86Pte.directoryEntryAddress(dir << 12, VA), pde);
        long r = TwoLevelWalker.walk(tables, dir << 12, VA,
                X86Access.WRITE_PROTECT | X86Access.LARGE_PAGES | X86Access.SET_ACCESSED_DIRTY);
        assertEquals(0x0804_8123L, TwoLevelWalker.physicalAddress(r, VA));
        tables.writeEntry(X86Pte.directoryEntryAddress(dir << 12, VA), pde | 0x2000);
        r = TwoLevelWalker.walk(tables, dir << 12, VA,
                X86Access.WRITE_PROTECT | X86Access.LARGE_PAGES | X86Access.SET_ACCESSED_DIRTY);
        assertTrue((TwoLevelWalker.errorCode(r) & PageFaultErrorCode.RESERVED) != 0);
    }
}
