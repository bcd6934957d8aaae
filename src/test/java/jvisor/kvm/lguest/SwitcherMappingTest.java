package jvisor.kvm.lguest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.hw.x86.RealTables;
import jvisor.hw.x86.X86Access;
import jvisor.hw.x86.TwoLevelWalker;
import jvisor.hw.x86.X86Pte;
import org.junit.jupiter.api.Test;

class SwitcherMappingTest {
    private static final int SUPERVISOR_WRITE = X86Access.WRITE | X86Access.WRITE_PROTECT;

    @Test
    void eachHostCpuSeesItsOwnSwitcherPagesInTheTopSlot() {
        LguestFixture f = new LguestFixture(2, 1);
        f.cloneDirectory(0x5000);
        f.lg.cpu(1).hypercall(Hypercalls.NEW_PGTABLE, 0x5000, 0, 0);
        for (int i = 0; i < 2; i++) {
            LguestCpu cpu = f.lg.cpu(i);
            cpu.load(LguestFixture.PAGE_OFFSET, false);
            int top = f.lg.shadow().directoryEntry(cpu.directory(), Switcher.PGD_INDEX);
            assertEquals(f.switcher.ptePage(cpu.hostCpu()), X86Pte.pfn(top));
            assertFalse(X86Pte.user(top), "the guest's user mode can never reach it");

            // What the Switcher itself sees through this CPU's shadow (a supervisor walk).
            RealTables host = new RealTables(f.phys);
            long cr3 = cpu.mmu().cr3();
            long regs = TwoLevelWalker.walk(host, cr3, Switcher.regsAddress(cpu.hostCpu()), SUPERVISOR_WRITE);
            assertEquals(cpu.regsPage() << 12, TwoLevelWalker.physicalAddress(regs, Switcher.regsAddress(cpu.hostCpu())),
                    "the guest's register page sits in this CPU's register slot");
            long ro = TwoLevelWalker.walk(host, cr3, Switcher.regsAddress(cpu.hostCpu()) + 4096, SUPERVISOR_WRITE);
            assertTrue(TwoLevelWalker.faulted(ro), "the read-only state page is read-only");
        }
    }

    @Test
    void switcherFramesBelongToTheSwitcherNotTheGuest() {
        LguestFixture f = new LguestFixture(1, 1);
        f.cpu().load(LguestFixture.PAGE_OFFSET, false);
        long pte = f.switcher.ptePage(0);
        f.lg.destroy();
        assertEquals(1, f.phys.refCount(pte));
        f.switcher.free();
        assertEquals(0, f.phys.refCount(pte));
    }
}
