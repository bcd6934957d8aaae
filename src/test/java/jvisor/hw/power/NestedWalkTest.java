package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static jvisor.hw.power.WalkStage.PARTITION_SCOPED;
import static jvisor.hw.power.WalkStage.PROCESS_SCOPED;
import static jvisor.hw.power.WalkStage.PROCESS_TABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 2-D walk: a 4-level guest tree over a 4-level partition-scoped tree, 4K pages, no caches.
 *
 * <p>Where the tables are (see {@link RadixMachine}): the partition-scoped root of LPID 1 is the
 * first host table, 0x100000; its level 1 and 2 tables follow at 0x120000 and 0x121000, then one
 * level 3 table per 2M of guest real memory from 0x122000 (0x110000 is LPID 0's root). The guest root is the first guest table,
 * guest real 0x800000, then its level 1, 2, 3 tables at 0x810000, 0x811000, 0x812000. Guest real g
 * is host 0x2000000 + g.
 */
class NestedWalkTest {
    static final long EA = 0xC000000000012345L;
    static final long TABLE_WALK = 0x00020000L, NO_TRANSLATION = 0x40000000L, RC_FAULT = 0x00040000L;

    record Read(WalkStage stage, int level, long guestReal, long hostReal, long entry) {
    }

    RadixMachine m;
    final List<Read> reads = new ArrayList<>();
    final RadixWalkListener recorder = (s, l, g, h, e) -> reads.add(new Read(s, l, g, h, e));

    @BeforeEach
    void setUp() {
        m = new RadixMachine().identityPartition(12);
        m.mapGuest(0, EA, 0x345000, 12, KERNEL_RW);
    }

    private long explain(long ea, int access, long msr) {
        return m.explain(ea, access, msr, recorder);
    }

    /**
     * The four partition-scoped reads that translate guest real {@code gra}: root slot 0, level 1
     * slot 0, level 2 slot gra/2M, and the level 3 table of that 2M region (the identity map made
     * one per 2M, in order, from 0x122000).
     */
    private void assertPartitionWalk(int from, long gra) {
        long region = gra >>> 21;
        long[] slots = {0x100000, 0x120000, 0x121000 + region * 8, 0x122000 + region * 0x1000 + ((gra >>> 12) & 511) * 8};
        for (int level = 0; level < 4; level++) {
            Read r = reads.get(from + level);
            assertEquals(PARTITION_SCOPED, r.stage(), "read " + (from + level));
            assertEquals(level, r.level());
            assertEquals(slots[level], r.hostReal(), "read " + (from + level));
            assertEquals(slots[level], r.guestReal());
        }
        assertEquals(RadixEntry.pte(GUEST_BASE + (gra & ~0xFFFL), PART_RWX), reads.get(from + 3).entry());
    }

    @Test
    void fourOverFourLevelsIs24TableReadsPlusThePartitionAndProcessTableEntries() {
        assertEquals(0x2345345L, explain(EA, Mmu.LOAD, GUEST_OS));
        assertEquals(31, reads.size(), "2 PATE doublewords + (4 + 1) for the PRTE + 24");

        // The PATE of LPID 1, two doublewords at 0x10010.
        assertEquals(new Read(WalkStage.PARTITION_TABLE, 0, 0x10010, 0x10010, PartitionTableEntry.HR | RadixTreeRoot.of52(0x100000)), reads.get(0));
        assertEquals(WalkStage.PARTITION_TABLE, reads.get(1).stage());
        assertEquals(0x10018, reads.get(1).hostReal());
        // The PRTE's guest real address 0x10000, translated, then read.
        assertPartitionWalk(2, 0x10000);
        assertEquals(new Read(PROCESS_TABLE, 0, 0x10000, 0x2010000, RadixTreeRoot.of52(0x800000)), reads.get(6));

        // 4 guest levels, each a partition-scoped walk of the entry's guest real address, then the read.
        long[] guestSlots = {0x800000, 0x810000, 0x811000, 0x812000 + 0x12 * 8};
        for (int level = 0; level < 4; level++) {
            int at = 7 + level * 5;
            assertPartitionWalk(at, guestSlots[level]);
            Read r = reads.get(at + 4);
            assertEquals(PROCESS_SCOPED, r.stage());
            assertEquals(level, r.level());
            assertEquals(guestSlots[level], r.guestReal());
            assertEquals(GUEST_BASE + guestSlots[level], r.hostReal());
        }
        assertEquals(RadixEntry.pde(0x810000, 9), reads.get(11).entry());
        assertEquals(RadixEntry.pte(0x345000, KERNEL_RW), reads.get(26).entry());
        // And the data address, guest real 0x345345: root slot 0, level 1 slot 0, level 2 slot 1
        // (0x345345 >> 21 = 1): its level 3 table is the second one the identity map made.
        for (int level = 0; level < 4; level++) {
            assertEquals(PARTITION_SCOPED, reads.get(27 + level).stage());
        }
        assertEquals(0x121008L, reads.get(29).hostReal());
        assertEquals(0x123000L + 0x145 * 8, reads.get(30).hostReal());
        assertEquals(24, reads.size() - 7);
    }

    @Test
    void explainingLeavesTheTlbAlone() {
        explain(EA, Mmu.LOAD, GUEST_OS);
        assertEquals(0, m.mmu.tlbEntries());
    }

    @Test
    void aTlbMissUsesTheCachedPartitionAndProcessTableEntries() {
        m.mapGuest(0, 0xC000000000013000L, 0x346000, 12, KERNEL_RW);
        assertEquals(0x2345345L, m.translate(EA, Mmu.LOAD, GUEST_OS));
        int before = m.host.longReads;
        assertEquals(0x2346008L, m.translate(0xC000000000013008L, Mmu.LOAD, GUEST_OS));
        // The four guest table entries (the partition-scoped translations of their pages are in
        // the nested walk's cache) and the partition-scoped walk of the data page.
        assertEquals(4 + 4, m.host.longReads - before, "the 2-D walk without the PATE and PRTE reads");
    }

    @Test
    void aPartitionScopedFaultOnAGuestDirectoryIsAnHdsiWithTheTableWalkBitAndTheEntrysAddress() {
        // Take away guest real page 0x811000: the guest's level 2 table.
        assertEquals(RadixTreeBuilder.UNMAPPED, m.hostTables.unmap(m.partitionRoots.get(1L), 0x811000));
        for (int access : new int[] {Mmu.LOAD, Mmu.STORE, Mmu.FETCH}) {
            assertEquals(-1, m.translate(EA, access, GUEST_OS));
            assertEquals(0xE00, m.fault.vector, "a table read is a load, even for a fetch");
            assertEquals(NO_TRANSLATION | TABLE_WALK, m.fault.hdsisr);
            assertEquals(EA, m.fault.hdar);
            assertEquals(0x811000L, m.fault.asdr);
        }
    }

    @Test
    void aPartitionScopedFaultOnTheProcessTableEntryGivesItsGuestRealAddress() {
        m.regs.pidr = 5;
        m.mapGuest(5, 0x7000, 0x345000, 12, RadixEntry.READ | RadixEntry.REFERENCE);
        assertEquals(RadixTreeBuilder.UNMAPPED, m.hostTables.unmap(m.partitionRoots.get(1L), 0x10000));
        assertEquals(-1, m.translate(0x7008, Mmu.LOAD, GUEST_USER));
        assertEquals(0xE00, m.fault.vector);
        assertEquals(NO_TRANSLATION | TABLE_WALK, m.fault.hdsisr);
        assertEquals(0x10050L, m.fault.asdr, "PRTB 0x10000 + 16 * PID 5");
    }

    @Test
    void aTablePageWithoutRInThePartitionTreeIsATableWalkRcFault() {
        m.mapPartition(LPID, 0x812000, GUEST_BASE + 0x812000, 12, RadixEntry.READ_WRITE);
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertEquals(0xE00, m.fault.vector);
        assertEquals(RC_FAULT | TABLE_WALK, m.fault.hdsisr);
        assertEquals(0x812090L, m.fault.asdr);
    }

    @Test
    void aPartitionScopedFaultOnTheDataAddressIsAPlainHdsi() {
        assertEquals(RadixTreeBuilder.UNMAPPED, m.hostTables.unmap(m.partitionRoots.get(1L), 0x345000));
        assertEquals(-1, m.translate(EA, Mmu.STORE, GUEST_OS));
        assertEquals(0xE00, m.fault.vector);
        assertEquals(NO_TRANSLATION | 0x02000000L, m.fault.hdsisr);
        assertEquals(EA, m.fault.hdar);
        assertEquals(0x345345L, m.fault.asdr);
        m.mapGuest(0, 0xC000000000013000L, 0x345000, 12, KERNEL_RW | RadixEntry.EXECUTE);
        assertEquals(-1, m.translate(0xC000000000013344L, Mmu.FETCH, GUEST_OS));
        assertEquals(0xE20, m.fault.vector);
        assertEquals(NO_TRANSLATION, m.fault.hdsisr);
        assertEquals(0x345344L, m.fault.asdr);
    }

    @Test
    void aGuestTableMappedOutsideHostMemoryIsAMachineCheck() {
        m.mapPartition(LPID, 0x812000, 0x40000000L, 12, PART_RWX);
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertEquals(0x200, m.fault.vector);
        assertEquals(EA, m.fault.dar);
        assertEquals(0x40000090L, m.fault.realAddress);
    }
}
