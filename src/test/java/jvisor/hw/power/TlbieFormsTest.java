package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tlbie/tlbiel: decoding, the invalid forms, each IS and RIC, broadcast versus local. A TLB entry
 * is observed by changing the PTE behind its back: until the right tlbie the old address comes back.
 */
class TlbieFormsTest {
    static final long A = 0xC000000000010000L, B = 0xC000000000400000L, U = 0x20000L;
    static final int RS = 3, RB = 4;
    RadixMachine m;

    @BeforeEach
    void setUp() {
        m = new RadixMachine().identityPartition(21);
        m.regs.pidr = 5;
        m.mapGuest(0, A, 0x100000, 12, KERNEL_RW);
        m.mapGuest(0, B, 0x200000, 21, KERNEL_RW);
        m.mapGuest(5, U, 0x300000, 12, RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE);
        // Fill the TLB: A, two granules of the 2M page B, and the application page U.
        assertEquals(0x2100008L, m.translate(A + 8, Mmu.LOAD, GUEST_OS));
        assertEquals(0x2200008L, m.translate(B + 8, Mmu.LOAD, GUEST_OS));
        assertEquals(0x2201008L, m.translate(B + 0x1008, Mmu.LOAD, GUEST_OS));
        assertEquals(0x2300008L, m.translate(U + 8, Mmu.LOAD, GUEST_USER));
        // Now move every page behind the TLB's back (no tlbie yet).
        m.mapGuest(0, A, 0x500000, 12, KERNEL_RW);
        m.mapGuest(0, B, 0x600000, 21, KERNEL_RW);
        m.mapGuest(5, U, 0x700000, 12, RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE);
    }

    private boolean aIsStale() {
        return m.translate(A + 8, Mmu.LOAD, GUEST_OS) == 0x2100008L;
    }

    private boolean bIsStale() {
        return m.translate(B + 0x1008, Mmu.LOAD, GUEST_OS) == 0x2201008L;
    }

    private boolean uIsStale() {
        return m.translate(U + 8, Mmu.LOAD, GUEST_USER) == 0x2300008L;
    }

    private int tlbie(int ric, boolean prs, long rs, long rb) {
        return m.mmu.tlbie(Tlbie.instruction(false, RS, ric, prs, true, RB), rs, rb, HYPERVISOR);
    }

    @Test
    void fieldsDecodeFromTheXFormAndTheRegisters() {
        int insn = Tlbie.instruction(false, 3, 2, true, true, 4);
        assertEquals(0x7C6B2264, insn);
        assertEquals(0x7C6B2224, Tlbie.instruction(true, 3, 2, true, true, 4));
        assertTrue(Tlbie.isTlbiel(0x7C6B2224));
        assertFalse(Tlbie.isTlbiel(insn));
        assertEquals(3, Tlbie.rsRegister(insn));
        assertEquals(4, Tlbie.rbRegister(insn));
        // RB: EPN, IS=1 (MSB 52:53 -> 0x400), AP=1 (MSB 56:58 -> 0x20).
        long rb = 0xC000000000012000L | 0x400 | 0x20;
        assertEquals(rb, Tlbie.rb(0xC000000000012000L, 1, 1));
        Tlbie t = Tlbie.decode(insn, (5L << 32) | 1, rb);
        assertEquals(new Tlbie(2, true, true, 1, 0xC000000000012000L, 21, 1, 5), t);
        assertEquals(12, Tlbie.pageShiftOfAp(0));
        assertEquals(16, Tlbie.pageShiftOfAp(5));
        assertEquals(30, Tlbie.pageShiftOfAp(2));
        assertEquals(-1, Tlbie.pageShiftOfAp(3));
    }

    @Test
    void invalidFormsAreIllegalInstructions() {
        long rs = Tlbie.rs(5, 1);
        assertEquals(Tlbie.ILLEGAL_FORM, tlbie(3, true, rs, Tlbie.rb(0, 3, 0)), "RIC=3");
        assertEquals(Tlbie.ILLEGAL_FORM, tlbie(1, true, rs, Tlbie.rb(A, 0, 0)), "RIC=1, IS=0");
        assertEquals(Tlbie.ILLEGAL_FORM, tlbie(2, true, rs, Tlbie.rb(A, 0, 0)), "RIC=2, IS=0");
        assertEquals(Tlbie.ILLEGAL_FORM, tlbie(0, false, rs, Tlbie.rb(0, 1, 0)), "PRS=0, IS=1");
        assertTrue(aIsStale() && bIsStale() && uIsStale(), "a rejected form invalidates nothing");
        assertEquals(Tlbie.OK, tlbie(1, true, rs, Tlbie.rb(0, 1, 0)));
        assertEquals(Tlbie.OK, tlbie(2, false, rs, Tlbie.rb(0, 2, 0)));
    }

    @Test
    void is0InvalidatesOnePageOfOneProcess() {
        assertEquals(Tlbie.OK, tlbie(0, true, Tlbie.rs(0, 1), Tlbie.rb(A, 0, 0)));
        assertFalse(aIsStale());
        assertEquals(0x2500008L, m.translate(A + 8, Mmu.LOAD, GUEST_OS));
        assertTrue(bIsStale());
        assertTrue(uIsStale());
    }

    @Test
    void is0WithA2MApInvalidatesEveryGranuleOfTheLargePage() {
        assertEquals(Tlbie.OK, tlbie(0, true, Tlbie.rs(0, 1), Tlbie.rb(B, 0, 1)));
        assertEquals(0x2601008L, m.translate(B + 0x1008, Mmu.LOAD, GUEST_OS));
        assertEquals(0x2600008L, m.translate(B + 8, Mmu.LOAD, GUEST_OS));
        assertTrue(aIsStale());
    }

    @Test
    void is0WithA4KApInsideACachedLargePageDropsEveryGranuleOfIt() {
        // The granules at B and B + 4K sit in other TLB slots than the one B + 20K maps to.
        assertEquals(Tlbie.OK, tlbie(0, true, Tlbie.rs(0, 1), Tlbie.rb(B + 0x5000, 0, 0)));
        assertEquals(0x2601008L, m.translate(B + 0x1008, Mmu.LOAD, GUEST_OS));
        assertEquals(0x2600008L, m.translate(B + 8, Mmu.LOAD, GUEST_OS));
        assertTrue(aIsStale());
        assertTrue(uIsStale());
    }

    @Test
    void is0OfOnePageLeavesTheOtherPagesOfItsProcessAlone() {
        m.mapGuest(5, U + 0x1000, 0x300000, 12, RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE);
        assertEquals(0x2300008L, m.translate(U + 0x1008, Mmu.LOAD, GUEST_USER));
        m.mapGuest(5, U + 0x1000, 0x700000, 12, RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE);
        assertEquals(Tlbie.OK, tlbie(0, true, Tlbie.rs(5, 1), Tlbie.rb(U, 0, 0)));
        assertEquals(0x2700008L, m.translate(U + 8, Mmu.LOAD, GUEST_USER));
        assertEquals(0x2300008L, m.translate(U + 0x1008, Mmu.LOAD, GUEST_USER), "the next page is still cached");
        assertTrue(bIsStale());
    }

    @Test
    void is0ForAnotherPidLeavesThePageAlone() {
        assertEquals(Tlbie.OK, tlbie(0, true, Tlbie.rs(5, 1), Tlbie.rb(A, 0, 0)));
        assertTrue(aIsStale());
    }

    @Test
    void is1InvalidatesOneProcess() {
        assertEquals(Tlbie.OK, tlbie(0, true, Tlbie.rs(5, 1), Tlbie.rb(0, 1, 0)));
        assertFalse(uIsStale());
        assertTrue(aIsStale());
        assertTrue(bIsStale());
    }

    @Test
    void is2InvalidatesOnePartition() {
        m.mapHost(0, 0xC000000000007000L, 0x3000000, 12, KERNEL_RW);
        assertEquals(0x3000000L, m.translate(0xC000000000007000L, Mmu.LOAD, HYPERVISOR));
        m.mapHost(0, 0xC000000000007000L, 0x3100000, 12, KERNEL_RW);
        assertEquals(Tlbie.OK, tlbie(0, true, Tlbie.rs(0, 1), Tlbie.rb(0, 2, 0)));
        assertFalse(aIsStale());
        assertFalse(bIsStale());
        assertFalse(uIsStale());
        assertEquals(0x3000000L, m.translate(0xC000000000007000L, Mmu.LOAD, HYPERVISOR), "LPID 0 untouched");
    }

    @Test
    void is3InvalidatesEverything() {
        assertEquals(Tlbie.OK, tlbie(0, true, 0, Tlbie.rb(0, 3, 0)));
        assertFalse(aIsStale());
        assertFalse(bIsStale());
        assertFalse(uIsStale());
    }

    @Test
    void ric1OnlyConcernsThePageWalkCache() {
        assertEquals(Tlbie.OK, tlbie(1, true, 0, Tlbie.rb(0, 3, 0)));
        assertTrue(aIsStale() && bIsStale() && uIsStale());
    }

    @Test
    void ric2DropsTheCachedProcessTableEntry() {
        // Give PID 5 a new tree that maps U to 0x900000, by rewriting its PRTE.
        long oldRoot = m.guestRoots.remove(5L);
        m.mapGuest(5, U, 0x900000, 12, RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE);
        assertFalse(oldRoot == m.guestRoot(5));
        assertEquals(Tlbie.OK, tlbie(2, true, Tlbie.rs(5, 1), Tlbie.rb(0, 1, 0)));
        assertEquals(0x2900008L, m.translate(U + 8, Mmu.LOAD, GUEST_USER));
    }

    @Test
    void aPartitionScopedIs0InvalidatesByGuestRealAddress() {
        // Guest real 0x100000 (behind A) is moved by the hypervisor: 2M partition page at 0.
        assertEquals(Tlbie.OK, tlbie(0, false, Tlbie.rs(0, 1), Tlbie.rb(0x100000, 0, 1)));
        assertFalse(aIsStale());
        assertTrue(bIsStale(), "B's guest real 0x200000.. is another 2M partition page");
    }

    @Test
    void tlbieReachesEveryCoreAndTlbielOnlyItsOwn() {
        MmuRegisters regs2 = new MmuRegisters();
        regs2.ptcr = m.regs.ptcr;
        regs2.lpidr = 1;
        RadixMmu other = new RadixMmu(regs2, m.host, m.domain);
        assertEquals(0x2500008L, other.translate(A + 8, Mmu.LOAD, GUEST_OS), "the other core sees the new tables");
        m.mapGuest(0, A, 0xA00000, 12, KERNEL_RW);
        assertEquals(0x2500008L, other.translate(A + 8, Mmu.LOAD, GUEST_OS));

        int tlbiel = Tlbie.instruction(true, RS, 0, true, true, RB);
        assertEquals(Tlbie.OK, m.mmu.tlbiel(tlbiel, Tlbie.rs(0, 1), Tlbie.rb(A, 0, 0), HYPERVISOR));
        assertEquals(0x2A00008L, m.translate(A + 8, Mmu.LOAD, GUEST_OS));
        assertEquals(0x2500008L, other.translate(A + 8, Mmu.LOAD, GUEST_OS), "tlbiel stays local");

        assertEquals(Tlbie.OK, tlbie(0, true, Tlbie.rs(0, 1), Tlbie.rb(A, 0, 0)));
        assertEquals(0x2A00008L, other.translate(A + 8, Mmu.LOAD, GUEST_OS));
    }

    @Test
    void theHypervisorsPartitionScopedInvalidationReachesEveryCore() {
        m.domain.invalidatePartitionScopedPage(1, 0x100000, 12);
        assertFalse(aIsStale());
        assertTrue(bIsStale());
        m.domain.invalidatePartition(1);
        assertFalse(bIsStale());
        assertFalse(uIsStale());
    }

    @Test
    void problemStateMayNotInvalidate() {
        assertEquals(Tlbie.PRIVILEGED, m.mmu.tlbie(Tlbie.instruction(false, RS, 0, true, true, RB), 0,
                Tlbie.rb(0, 3, 0), GUEST_USER));
        assertTrue(aIsStale());
    }

    @Test
    void aGuestNeedsGtseForTlbieAndAlwaysTheHypervisorForPartitionScoped() {
        int process = Tlbie.instruction(false, RS, 0, true, true, RB);
        int partition = Tlbie.instruction(false, RS, 0, false, true, RB);
        long rb = Tlbie.rb(A, 0, 0);
        assertEquals(Tlbie.HYPERVISOR_EMULATION, m.mmu.tlbie(process, 0, rb, GUEST_OS));
        m.regs.lpcr |= Lpcr.GTSE;
        assertEquals(Tlbie.HYPERVISOR_EMULATION, m.mmu.tlbie(partition, 0, rb, GUEST_OS));
        assertTrue(aIsStale());
        // The guest names LPID 7 in RS; its own LPIDR (1) is used.
        assertEquals(Tlbie.OK, m.mmu.tlbie(process, Tlbie.rs(0, 7), rb, GUEST_OS));
        assertFalse(aIsStale());
    }

    @Test
    void hashedPageTableFormsHaveNothingToInvalidate() {
        assertEquals(Tlbie.OK, m.mmu.tlbie(Tlbie.instruction(false, RS, 0, true, false, RB), 0,
                Tlbie.rb(0, 3, 0), HYPERVISOR));
        assertTrue(aIsStale());
    }

    @Test
    void writingPidrLpidrOrPtcrFlushes() {
        m.mmu.contextChanged();
        assertFalse(aIsStale());
        assertFalse(uIsStale());
    }
}
