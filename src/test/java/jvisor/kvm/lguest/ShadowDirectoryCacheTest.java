package jvisor.kvm.lguest;

import static jvisor.kvm.lguest.LguestFixture.PAGE_OFFSET;
import static jvisor.kvm.lguest.LguestFixture.PGD;
import static jvisor.kvm.lguest.LguestFixture.USER_VA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.x86.X86Pte;
import org.junit.jupiter.api.Test;

class ShadowDirectoryCacheTest {
    private static final int USER_RW = X86Pte.PRESENT | X86Pte.RW | X86Pte.USER;

    /** Five guest directories at 0x1000 (the first), 0x5000, 0x6000, 0x7000, 0x8000. */
    private static LguestFixture fixture(long seed) {
        LguestFixture f = new LguestFixture(1, seed);
        f.userPage(USER_VA, 0x200, USER_RW);
        for (long pgd = 0x5000; pgd <= 0x8000; pgd += 0x1000) f.cloneDirectory(pgd);
        f.setStack();
        return f;
    }

    @Test
    void switchingBackToACachedDirectoryIsAHitThatKeepsItsEntries() {
        LguestFixture f = fixture(1);
        f.cpu().load(USER_VA, true);
        f.cpu().hypercall(Hypercalls.NEW_PGTABLE, 0x5000, 0, 0);
        f.cpu().hypercall(Hypercalls.NEW_PGTABLE, PGD, 0, 0);
        assertEquals(1, f.lg.stats().directoryHits.sum());
        assertEquals(1, f.lg.stats().directoryMisses.sum());
        long faults = f.lg.stats().hiddenFaults.sum();
        f.cpu().load(USER_VA, true);
        assertEquals(faults, f.lg.stats().hiddenFaults.sum(), "the shadow entry survived the round trip");
    }

    @Test
    void aFreshDirectoryGetsTheKernelStackPinned() {
        LguestFixture f = fixture(1);
        f.cpu().hypercall(Hypercalls.NEW_PGTABLE, 0x5000, 0, 0);
        assertEquals(0x5000, f.lg.shadow().shadowedCr3(f.cpu().directory()));
        assertTrue(X86Pte.writable(f.shadowPte(LguestFixture.STACK_TOP - 1)));
        assertTrue(X86Pte.writable(f.shadowPte(LguestFixture.STACK_TOP - 1 - 4096)));
    }

    @Test
    void aFifthDirectoryEvictsOneAndFlushesItsUserHalfButKeepsItsKernelHalf() {
        long[] pgds = {PGD, 0x5000, 0x6000, 0x7000};
        LguestFixture f = null;
        // A seed under which the four land in four slots (victims are random even while slots are free).
        for (long seed = 1; f == null || f.lg.stats().directoriesAllocated.sum() < 4; seed++) {
            f = fixture(seed);
            for (long pgd : pgds) {
                f.cpu().hypercall(Hypercalls.NEW_PGTABLE, pgd, 0, 0);
                f.cpu().load(USER_VA, true);
                f.cpu().load(PAGE_OFFSET + 0x9000, false);
            }
        }
        assertEquals(4, f.lg.stats().directoriesAllocated.sum());
        long hostPage = f.hostFrame(0x200);
        assertEquals(1 + 4, f.phys.refCount(hostPage), "the launcher's reference and one per shadow entry");

        f.cpu().hypercall(Hypercalls.NEW_PGTABLE, 0x8000, 0, 0);
        assertEquals(1, f.lg.stats().directoryEvictions.sum());
        assertEquals(4, f.lg.stats().directoriesAllocated.sum(), "reused, not allocated");
        int dir = f.cpu().directory();
        assertEquals(0x8000, f.lg.shadow().shadowedCr3(dir));
        assertEquals(0, f.lg.shadow().tableEntry(dir, USER_VA), "user half flushed");
        assertTrue(X86Pte.present(f.lg.shadow().tableEntry(dir, PAGE_OFFSET + 0x9000)), "kernel half kept");
        assertEquals(1 + 3, f.phys.refCount(hostPage), "the flushed entry gave its reference back");
    }

    @Test
    void theVictimsFollowTheSeed() {
        assertEquals(victims(11), victims(11));
        assertNotEquals(victims(11), victims(12));
    }

    private static List<Integer> victims(long seed) {
        LguestFixture f = fixture(seed);
        List<Integer> out = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
            for (long pgd = 0x5000; pgd <= 0x8000; pgd += 0x1000) {
                f.cpu().hypercall(Hypercalls.NEW_PGTABLE, pgd + (round % 2) * 0x4000, 0, 0);
                out.add(f.cpu().directory());
            }
        }
        return out;
    }

    @Test
    void aDirectoryInUseOnAnotherVcpuIsNeverTheVictim() {
        LguestFixture f = new LguestFixture(2, 5);
        for (long pgd = 0x5000; pgd <= 0xF000; pgd += 0x1000) f.cloneDirectory(pgd);
        LguestCpu other = f.lg.cpu(1);
        other.load(PAGE_OFFSET, false);
        int held = other.directory();
        for (long pgd = 0x5000; pgd <= 0xF000; pgd += 0x1000) {
            f.cpu().hypercall(Hypercalls.NEW_PGTABLE, pgd, 0, 0);
            assertNotEquals(held, f.cpu().directory());
        }
        assertEquals(PGD, f.lg.shadow().shadowedCr3(held));
    }
}
