package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nested walk's caches of guest table pages and of the data pages translations end at: they
 * save the partition-scoped walks of a TLB miss, and whatever changes a partition-scoped
 * translation (a PRS=0 invalidation, a full flush, another partition) makes it walk again.
 */
class NestedWalkCacheTest {
    static final long EA = 0xC000000000012345L;
    /** A host page outside the guest's memory, where the hypervisor moves a guest table page. */
    static final long MOVED = 0x1800000;

    RadixMachine m;
    long tablePage;

    @BeforeEach
    void setUp() {
        m = new RadixMachine().identityPartition(12);
        m.mapGuest(0, EA, 0x345000, 12, KERNEL_RW);
        tablePage = m.lastGuestPte() & ~0xFFFL;
    }

    /** The host table reads a full walk of EA makes, counted through the walk listener of explain. */
    private int readsOfAFullWalk() {
        AtomicInteger n = new AtomicInteger();
        m.explain(EA, Mmu.LOAD, GUEST_OS, (s, l, g, h, e) -> n.incrementAndGet());
        return n.get();
    }

    /** Moves the guest's last-level table to another host page whose copy maps EA to {@code newGra}. */
    private void moveLastLevelTable(long newGra) {
        for (int off = 0; off < 4096; off += 8) {
            m.host.writeLongBE(MOVED + off, m.host.readLongBE(GUEST_BASE + tablePage + off));
        }
        long pte = m.lastGuestPte() - tablePage;
        m.host.writeLongBE(MOVED + pte, RadixEntry.pte(newGra, KERNEL_RW));
        m.mapPartition(LPID, tablePage, MOVED, 12, PART_RWX);
    }

    private void dropTheTlbEntryOfEa() {
        m.mmu.invalidateLocal(Tlbie.processPage(LPID, 0, EA, 12));
    }

    @Test
    void aMissAfterAProcessScopedInvalidationWalksOnlyTheGuestsTree() {
        int before = m.host.longReads;
        assertEquals(GUEST_BASE + 0x345345, m.translate(EA, Mmu.LOAD, GUEST_OS));
        int first = m.host.longReads - before;
        for (int i = 0; i < 5; i++) {
            dropTheTlbEntryOfEa();
            before = m.host.longReads;
            assertEquals(GUEST_BASE + 0x345345, m.translate(EA, Mmu.LOAD, GUEST_OS));
            // The tlbie also dropped the cached PATE and PRTE: those are read again (the PRTE's
            // page translated from the cache), then the guest's four entries; the data page's
            // partition-scoped translation is kept.
            assertEquals(2 + 1 + 4, m.host.longReads - before, "miss " + (i + 2));
        }
        assertEquals(6, m.mmu.misses());
        // The first miss: the PATE (2), the PRTE and the four guest entries each behind a
        // four-level partition-scoped walk, and the data page's walk.
        assertEquals(2 + 5 * (4 + 1) + 4, first);
        assertEquals(31, readsOfAFullWalk(), "explain never uses the cache");
    }

    @Test
    void aPartitionScopedInvalidationOfAMovedTablePageIsSeenByTheNextMiss() {
        assertEquals(GUEST_BASE + 0x345345, m.translate(EA, Mmu.LOAD, GUEST_OS));
        moveLastLevelTable(0x346000);
        m.domain.invalidatePartitionScopedPage(LPID, tablePage, 12);
        dropTheTlbEntryOfEa();
        assertEquals(GUEST_BASE + 0x346345, m.translate(EA, Mmu.LOAD, GUEST_OS));
    }

    @Test
    void aPartitionScopedInvalidationOfAMovedDataPageIsSeenByTheNextMiss() {
        assertEquals(GUEST_BASE + 0x345345, m.translate(EA, Mmu.LOAD, GUEST_OS));
        m.mapPartition(LPID, 0x345000, MOVED, 12, PART_RWX);
        m.domain.invalidatePartitionScopedPage(LPID, 0x345000, 12);
        dropTheTlbEntryOfEa();
        assertEquals(MOVED + 0x345, m.translate(EA, Mmu.LOAD, GUEST_OS));
    }

    @Test
    void aKeptDataPageThatDoesNotAllowTheAccessIsWalkedAgain() {
        // Guest real page 0x345000 without C in its partition-scoped leaf: loads go, stores fault.
        m.mapPartition(LPID, 0x345000, GUEST_BASE + 0x345000, 12, PART_RWX & ~RadixEntry.CHANGE);
        m.domain.invalidatePartitionScopedPage(LPID, 0x345000, 12);
        assertEquals(GUEST_BASE + 0x345345, m.translate(EA, Mmu.LOAD, GUEST_OS));
        dropTheTlbEntryOfEa();
        assertEquals(-1, m.translate(EA, Mmu.STORE, GUEST_OS));
        assertEquals(TranslationFault.HypervisorDataStorage.class, m.fault.fault.getClass());
        // The hypervisor sets C, an upgrade that needs no invalidation: the store now translates.
        m.mapPartition(LPID, 0x345000, GUEST_BASE + 0x345000, 12, PART_RWX);
        dropTheTlbEntryOfEa();
        assertEquals(GUEST_BASE + 0x345345, m.translate(EA, Mmu.STORE, GUEST_OS));
        // And the leaf with C is what is kept now: the next miss reads no partition-scoped entry.
        dropTheTlbEntryOfEa();
        int before = m.host.longReads;
        assertEquals(GUEST_BASE + 0x345345, m.translate(EA, Mmu.STORE, GUEST_OS));
        assertEquals(2 + 1 + 4, m.host.longReads - before);
    }

    @Test
    void aPartitionWideInvalidationEmptiesTheCacheToo() {
        assertEquals(GUEST_BASE + 0x345345, m.translate(EA, Mmu.LOAD, GUEST_OS));
        moveLastLevelTable(0x347000);
        m.domain.invalidatePartition(LPID);
        assertEquals(GUEST_BASE + 0x347345, m.translate(EA, Mmu.LOAD, GUEST_OS));
    }

    @Test
    void aContextChangeEmptiesTheCache() {
        assertEquals(GUEST_BASE + 0x345345, m.translate(EA, Mmu.LOAD, GUEST_OS));
        moveLastLevelTable(0x348000);
        m.mmu.contextChanged();
        assertEquals(GUEST_BASE + 0x348345, m.translate(EA, Mmu.LOAD, GUEST_OS));
    }
}
