package jvisor.kvm.lguest;

import static jvisor.kvm.lguest.LguestFixture.USER_VA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.hw.x86.X86Pte;
import jvisor.kvm.AccessOutcome;
import org.junit.jupiter.api.Test;

class TeardownRefcountTest {
    @Test
    void everyHostPageIsBackToItsBaselineAfterTeardown() {
        LguestFixture f = new LguestFixture(2, 9);
        for (int i = 0; i < 64; i++) f.userPage(USER_VA + i * 4096L, 0x200 + i, X86Pte.PRESENT | X86Pte.RW | X86Pte.USER);
        for (long pgd = 0x5000; pgd <= 0x9000; pgd += 0x1000) f.cloneDirectory(pgd);
        f.setStack();
        for (long pgd = 0x5000; pgd <= 0x9000; pgd += 0x1000) {
            for (LguestCpu cpu : f.lg.cpus()) {
                cpu.hypercall(Hypercalls.NEW_PGTABLE, pgd, 0, 0);
                for (int i = 0; i < 64; i++) assertEquals(AccessOutcome.DONE, cpu.store(USER_VA + i * 4096L, true, i), "store " + i);
                for (int i = 0; i < 64; i++) assertEquals(AccessOutcome.DONE, cpu.load(LguestFixture.PAGE_OFFSET + i * 4096L, false), "load " + i);
            }
        }
        long resident = f.mm.residentPages();
        assertNull(f.lg.deathReason());
        // Every directory and CPU filled shadows: 5 directories x 2 CPUs x (64 user + 64 kernel pages) at most.
        assertTrue(f.lg.stats().shadowPtesInstalled.sum() >= 64 + 64,
                "shadow entries were installed: " + f.lg.stats().shadowPtesInstalled.sum());

        f.lg.destroy();
        LguestStats s = f.lg.stats();
        assertEquals(s.shadowPtesInstalled.sum(), s.shadowPtesReleased.sum());
        assertEquals(s.ptePagesAllocated.sum(), s.ptePagesFreed.sum());
        assertEquals(s.directoriesAllocated.sum(), s.directoriesFreed.sum());
        for (long gpfn = 0; gpfn < 0x300; gpfn++) {
            long pte = f.mm.lookupPte(f.base + (gpfn << 12));
            if (pte != 0) assertEquals(1, f.phys.refCount(f.hostFrame(gpfn)), "guest frame " + gpfn);
        }
        assertEquals(f.baselineFrames + resident, f.phys.framesInUse());

        f.mm.destroy();
        f.switcher.free();
        assertEquals(0, f.phys.framesInUse());
    }
}
