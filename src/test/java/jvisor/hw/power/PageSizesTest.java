package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** 4K, 64K, 2M and 1G leaves, and the page size of a 2-D translation. */
class PageSizesTest {

    @Test
    void a4KLeafAtTheFourthLevel() {
        RadixMachine m = new RadixMachine().identityPartition(21);
        m.mapGuest(0, 0xC000000000ABC000L, 0x777000, 12, KERNEL_RW);
        assertEquals(0x2777FEDL, m.translate(0xC000000000ABCFEDL, Mmu.LOAD, GUEST_OS));
        assertEquals(12, m.mmu.lastTranslation().processPageShift);
        assertEquals(12, m.mmu.lastTranslation().pageShift);
    }

    @Test
    void a2MLeafAtTheThirdLevelOverA4KPartitionTree() {
        RadixMachine m = new RadixMachine().identityPartition(12);
        m.mapGuest(0, 0xC000000000200000L, 0x600000, 21, KERNEL_RW);
        // 0x600000 + 0x1ABCDE, then + 0x2000000.
        assertEquals(0x27ABCDEL, m.translate(0xC0000000003ABCDEL, Mmu.LOAD, GUEST_OS));
        RadixTranslator t = m.mmu.lastTranslation();
        assertEquals(21, t.processPageShift);
        assertEquals(12, t.partitionPageShift);
        assertEquals(12, t.pageShift);
    }

    @Test
    void a1GLeafAtTheSecondLevel() {
        RadixMachine m = new RadixMachine().identityPartition(21);
        // Guest real 1G..1G+2M is backed by host 0x2E00000 (a 2M partition-scoped page).
        m.mapPartition(LPID, 0x40000000L, 0x2E00000L, 21, PART_RWX);
        m.mapGuest(0, 0xC000000040000000L, 0x40000000L, 30, KERNEL_RW);
        assertEquals(0x2F23456L, m.translate(0xC000000040123456L, Mmu.STORE, GUEST_OS));
        RadixTranslator t = m.mmu.lastTranslation();
        assertEquals(30, t.processPageShift);
        assertEquals(21, t.pageShift);
        assertEquals(0x40123456L, t.guestRealAddress);
    }

    @Test
    void aHypervisor1GPageNeedsNoPartitionStage() {
        RadixMachine m = new RadixMachine();
        m.mapHost(0, 0xC000000000000000L, 0, 30, KERNEL_RW);
        assertEquals(0x3FFFFF8L, m.translate(0xC000000003FFFFF8L, Mmu.LOAD, HYPERVISOR));
        assertEquals(30, m.mmu.lastTranslation().pageShift);
    }

    @Test
    void every4KGranuleOfALargePageIsServedWithoutAWalkAfterItsFirstUse() {
        RadixMachine m = new RadixMachine().identityPartition(21);
        m.mapGuest(0, 0xC000000000200000L, 0x600000, 21, KERNEL_RW);
        assertEquals(0x2601008L, m.translate(0xC000000000201008L, Mmu.LOAD, GUEST_OS));
        int reads = m.host.longReads;
        assertEquals(0x2601010L, m.translate(0xC000000000201010L, Mmu.LOAD, GUEST_OS));
        assertEquals(reads, m.host.longReads, "same granule: a TLB hit reads no table");
        assertEquals(0x2602010L, m.translate(0xC000000000202010L, Mmu.LOAD, GUEST_OS));
        assertEquals(reads, m.host.longReads, "another granule of the page: taken from its 2M block, no table read");
        assertEquals(1, m.mmu.misses());
        assertEquals(1, m.mmu.largePageRefills());
    }
}
