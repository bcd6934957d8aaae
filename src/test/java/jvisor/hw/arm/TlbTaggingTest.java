package jvisor.hw.arm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TlbTaggingTest {
    private static final int ALL = Tlb.R0 | Tlb.W0 | Tlb.R1 | Tlb.W1;
    private final Tlb tlb = new Tlb(256);

    @Test
    void anEntryHitsOnlyForItsVmidAndAsid() {
        tlb.fill(1, 5, 0x400, 0x9000, 0x7000_0000L, ALL);
        assertEquals(0x7000_0000L, tlb.lookup(1, 5, 0x400, Tlb.R0));
        assertEquals(-1, tlb.lookup(2, 5, 0x400, Tlb.R0), "another VM with the same ASID");
        assertEquals(-1, tlb.lookup(1, 6, 0x400, Tlb.R0), "another ASID of the same VM");
    }

    @Test
    void globalEntriesHitForEveryAsidOfTheirVmButNotForPhysicalLookups() {
        tlb.fill(1, Tlb.GLOBAL, 0xC0000, 0x1000, 0x5000, ALL);
        assertEquals(0x5000, tlb.lookup(1, 3, 0xC0000, Tlb.R1));
        assertEquals(0x5000, tlb.lookup(1, 9, 0xC0000, Tlb.R1));
        assertEquals(-1, tlb.lookup(1, Tlb.PHYSICAL, 0xC0000, Tlb.R1));
        assertEquals(-1, tlb.lookup(4, 3, 0xC0000, Tlb.R1));
    }

    @Test
    void anEntryWithoutTheNeededPermissionMisses() {
        tlb.fill(1, 1, 0x10, 0x10000, 0x20000, Tlb.R0 | Tlb.R1);
        assertEquals(-1, tlb.lookup(1, 1, 0x10, Tlb.W0));
        assertEquals(-1, tlb.lookup(1, 1, 0x10, Tlb.need(Mmu.FETCH, false)));
    }

    @Test
    void invalidationsDropExactlyTheirScope() {
        tlb.fill(1, 1, 0x10, 0x10000, 0x20000, ALL);
        tlb.fill(1, 2, 0x11, 0x11000, 0x21000, ALL);
        tlb.fill(1, Tlb.GLOBAL, 0x12, 0x12000, 0x22000, ALL);
        tlb.fill(2, 1, 0x10, 0x10000, 0x30000, ALL);
        tlb.invalidateAsid(1, 1);
        assertEquals(-1, tlb.lookup(1, 1, 0x10, Tlb.R0));
        assertEquals(0x21000, tlb.lookup(1, 2, 0x11, Tlb.R0));
        assertEquals(0x30000, tlb.lookup(2, 1, 0x10, Tlb.R0), "other VMID untouched");
        tlb.invalidateIpa(1, 0x12000, 4096);
        assertEquals(-1, tlb.lookup(1, 2, 0x12, Tlb.R0), "the combined entry built on that IPA went too");
        tlb.invalidateVmid(1);
        assertEquals(-1, tlb.lookup(1, 2, 0x11, Tlb.R0));
        assertEquals(1, tlb.validEntries());
        tlb.invalidateAll();
        assertEquals(0, tlb.validEntries());
    }

    @Test
    void aBroadcastReachesEveryCpusTlb() {
        TlbDomain d = new TlbDomain();
        Tlb a = new Tlb(64), b = new Tlb(64);
        d.add(a);
        d.add(b);
        a.fill(3, 1, 0x1, 0x1000, 0x1000, ALL);
        b.fill(3, 1, 0x1, 0x1000, 0x1000, ALL);
        d.invalidateVa(3, 1, 0x1000);
        assertEquals(0, a.validEntries() + b.validEntries());
        assertEquals(1, d.byVa.sum());
    }
}
