package jvisor.kvm.lguest;

import static jvisor.kvm.lguest.LguestFixture.KERNEL_PT;
import static jvisor.kvm.lguest.LguestFixture.PAGE_OFFSET;
import static jvisor.kvm.lguest.LguestFixture.PGD;
import static jvisor.kvm.lguest.LguestFixture.USER_PT;
import static jvisor.kvm.lguest.LguestFixture.USER_VA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.hw.x86.X86Pte;
import jvisor.kvm.AccessOutcome;
import org.junit.jupiter.api.Test;

/** SET_PTE, SET_PGD and FLUSH_TLB: the shadow follows what the guest says it changed. */
class GuestPageTableUpdateTest {
    private static final int USER_RW = X86Pte.PRESENT | X86Pte.RW | X86Pte.USER;
    private static final long KVA = PAGE_OFFSET + 0x9000;
    private LguestFixture f = new LguestFixture(1, 1);
    private final long[] pgds = {PGD, 0x5000, 0x6000};

    /**
     * Three cached directories, each with the kernel page at KVA and the user page faulted in.
     * lguest picks its victim at random even while slots are free, so the seed is one under
     * which the three land in different slots.
     */
    private void threeProcessesTouchingTheKernelPage() {
        for (long seed = 1; ; seed++) {
            f = new LguestFixture(1, seed);
            f.setStack();
            f.userPage(USER_VA, 0x200, USER_RW);
            f.cloneDirectory(0x5000);
            f.cloneDirectory(0x6000);
            for (long pgd : pgds) {
                f.cpu().hypercall(Hypercalls.NEW_PGTABLE, pgd, 0, 0);
                assertEquals(AccessOutcome.DONE, f.cpu().load(KVA, false));
                assertEquals(AccessOutcome.DONE, f.cpu().load(USER_VA, true));
            }
            boolean allCached = true;
            for (long pgd : pgds) allCached &= f.lg.shadow().find(pgd) >= 0;
            if (allCached) return;
        }
    }

    private int shadowIn(long pgd, long va) {
        return f.lg.shadow().tableEntry(f.lg.shadow().find(pgd), va);
    }

    @Test
    void kernelMappingChangeReachesEveryCachedDirectory() {
        threeProcessesTouchingTheKernelPage();
        int fresh = X86Pte.make(0x300, X86Pte.KERNEL_FLAGS | X86Pte.GLOBAL);
        f.pte(KERNEL_PT, KVA, fresh);
        f.cpu().hypercall(Hypercalls.SET_PTE, 0x6000, KVA, fresh);
        for (long pgd : pgds) {
            assertEquals(f.hostFrame(0x300), X86Pte.pfn(shadowIn(pgd, KVA)), "directory 0x" + Long.toHexString(pgd));
        }
        assertEquals(3, f.lg.stats().kernelPteUpdates.sum());
        assertEquals(3, f.lg.stats().prefilledPtes.sum(), "accessed+dirty entries go in at once");
        f.cpu().store(KVA, false, 0x77);
        assertEquals(0x77, f.mem.readU32(0x300L << 12));
    }

    @Test
    void kernelUnmapClearsEveryCachedDirectoryAndReturnsTheReferences() {
        threeProcessesTouchingTheKernelPage();
        long host = f.hostFrame(9);
        assertEquals(1 + 3, f.phys.refCount(host));
        f.pte(KERNEL_PT, KVA, 0);
        f.cpu().hypercall(Hypercalls.SET_PTE, PGD, KVA, 0);
        for (long pgd : pgds) assertEquals(0, shadowIn(pgd, KVA));
        assertEquals(1, f.phys.refCount(host));
    }

    @Test
    void userMappingChangeTouchesOnlyThatDirectory() {
        threeProcessesTouchingTheKernelPage();
        f.cpu().hypercall(Hypercalls.SET_PTE, 0x5000, USER_VA, 0);
        assertEquals(0, shadowIn(0x5000, USER_VA));
        assertTrue(X86Pte.present(shadowIn(PGD, USER_VA)));
        assertTrue(X86Pte.present(shadowIn(0x6000, USER_VA)));
    }

    @Test
    void setPteForAnUncachedDirectoryIsHarmless() {
        threeProcessesTouchingTheKernelPage();
        f.cpu().hypercall(Hypercalls.SET_PTE, 0x9000, USER_VA, 0);
        assertNull(f.lg.deathReason());
    }

    @Test
    void accessedButCleanEntryIsPrefilledReadOnly() {
        threeProcessesTouchingTheKernelPage();
        int gpte = X86Pte.make(0x201, USER_RW | X86Pte.ACCESSED);
        f.userPage(USER_VA, 0x201, USER_RW | X86Pte.ACCESSED);
        f.cpu().hypercall(Hypercalls.SET_PTE, 0x6000, USER_VA, gpte);
        int spte = shadowIn(0x6000, USER_VA);
        assertTrue(X86Pte.present(spte));
        assertFalse(X86Pte.writable(spte), "still read-only so the dirty bit can be emulated");
    }

    @Test
    void setPgdDropsTheShadowTable() {
        threeProcessesTouchingTheKernelPage();
        long freed = f.lg.stats().ptePagesFreed.sum();
        f.cpu().hypercall(Hypercalls.SET_PGD, 0x6000, X86Pte.directoryIndex(USER_VA), 0);
        assertEquals(0, f.lg.shadow().directoryEntry(f.lg.shadow().find(0x6000), X86Pte.directoryIndex(USER_VA)));
        assertEquals(freed + 1, f.lg.stats().ptePagesFreed.sum());
        assertEquals(1 + 2, f.phys.refCount(f.hostFrame(0x200)));
    }

    @Test
    void setPgdOnTheSwitcherSlotIsIgnored() {
        f.cpu().load(KVA, false);
        int before = f.lg.shadow().directoryEntry(f.cpu().directory(), Switcher.PGD_INDEX);
        f.cpu().hypercall(Hypercalls.SET_PGD, PGD, Switcher.PGD_INDEX, 0);
        assertEquals(before, f.lg.shadow().directoryEntry(f.cpu().directory(), Switcher.PGD_INDEX));
        assertEquals(1, f.lg.stats().switcherPgdIgnored.sum());
        assertNull(f.lg.deathReason());
    }

    @Test
    void flushTlbZeroDropsTheUserHalfOfTheCurrentShadowOnly() {
        threeProcessesTouchingTheKernelPage();
        f.cpu().hypercall(Hypercalls.FLUSH_TLB, 0, 0, 0);
        assertEquals(0, shadowIn(0x6000, USER_VA));
        assertTrue(X86Pte.present(shadowIn(0x6000, KVA)));
        assertTrue(X86Pte.present(shadowIn(0x5000, USER_VA)));
    }

    @Test
    void flushTlbOneDropsEverythingAndPinsTheStackAgain() {
        threeProcessesTouchingTheKernelPage();
        f.cpu().hypercall(Hypercalls.FLUSH_TLB, 1, 0, 0);
        for (long pgd : pgds) {
            assertEquals(0, shadowIn(pgd, USER_VA));
            assertEquals(0, shadowIn(pgd, KVA));
        }
        assertTrue(X86Pte.writable(f.shadowPte(LguestFixture.STACK_TOP - 1)), "current shadow has the stack again");
        assertEquals(1 + 1, f.phys.refCount(f.hostFrame(0x0F)), "only the stack pin holds a reference");
        assertEquals(1, f.phys.refCount(f.hostFrame(0x200)));
    }

    @Test
    void queuedUpdatesRunAtTheNextTrapInOneExit() {
        threeProcessesTouchingTheKernelPage();
        long exits = f.lg.stats().hypercallExits.sum();
        for (int i = 0; i < 10; i++) {
            f.userPage(USER_VA + i * 4096L, 0x210 + i, USER_RW);
            f.cpu().queueHypercall(Hypercalls.SET_PTE, 0x6000, USER_VA + i * 4096L, X86Pte.make(0x210 + i, USER_RW));
        }
        assertTrue(X86Pte.present(shadowIn(0x6000, USER_VA)), "nothing happened yet");
        f.cpu().flushQueued();
        assertEquals(0, shadowIn(0x6000, USER_VA));
        assertEquals(exits + 1, f.lg.stats().hypercallExits.sum());
        assertEquals(10, f.lg.stats().asyncHypercalls.sum());
        assertEquals(10, f.lg.stats().hypercalls(Hypercalls.SET_PTE));
    }

    @Test
    void aFullRingIsFlushedBeforeItOverflows() {
        for (int i = 0; i < LguestCpu.RING_SIZE + 5; i++) f.cpu().queueHypercall(Hypercalls.SET_PTE, PGD, USER_VA, 0);
        assertEquals(5, f.cpu().queued());
        assertEquals(LguestCpu.RING_SIZE, f.lg.stats().asyncHypercalls.sum());
    }

    @Test
    void aPageFaultTrapAlsoDrainsTheRing() {
        threeProcessesTouchingTheKernelPage();
        f.cpu().queueHypercall(Hypercalls.SET_PTE, 0x6000, USER_VA, 0);
        f.cpu().load(USER_VA + 0x5000, true); // not mapped: a trap
        assertEquals(0, shadowIn(0x6000, USER_VA));
        assertEquals(0, f.cpu().queued());
    }
}
