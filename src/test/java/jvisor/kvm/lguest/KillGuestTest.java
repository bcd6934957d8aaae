package jvisor.kvm.lguest;

import static jvisor.kvm.lguest.LguestFixture.PGD;
import static jvisor.kvm.lguest.LguestFixture.USER_PT;
import static jvisor.kvm.lguest.LguestFixture.USER_VA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.x86.X86Pte;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.RunExit;
import jvisor.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

/** Each way a guest gets itself killed: a message, never an exception, and nothing leaked. */
class KillGuestTest {
    private static final int USER_RW = X86Pte.PRESENT | X86Pte.RW | X86Pte.USER;
    private LguestFixture f = new LguestFixture(1, 1);

    private void assertKilled(AccessOutcome outcome, String reasonPart) {
        assertEquals(AccessOutcome.EXIT, outcome);
        assertKilled(reasonPart);
        RunExit.Shutdown s = assertInstanceOf(RunExit.Shutdown.class, f.cpu().lastExit());
        assertEquals(f.lg.deathReason(), s.reason());
    }

    private void assertKilled(String reasonPart) {
        assertNotNull(f.lg.deathReason(), "the guest should be dead");
        assertTrue(f.lg.deathReason().contains(reasonPart), f.lg.deathReason());
        assertEquals(List.of(f.lg.deathReason()), f.lg.stats().kills());
        f.lg.destroy();
        assertEquals(f.baselineFrames + f.mm.residentPages(), f.phys.framesInUse(),
                "no shadow page or reference outlives the guest");
    }


    @Test
    void directoryEntryWithForbiddenFlags() {
        f.pde(PGD, USER_VA, X86Pte.make(USER_PT >>> 12, X86Pte.TABLE_FLAGS | X86Pte.PWT));
        f.userPage(USER_VA, 0x200, USER_RW);
        assertKilled(f.cpu().load(USER_VA, true), "bad page directory entry");
    }

    @Test
    void directoryEntryPointingBeyondGuestMemory() {
        f.pde(PGD, USER_VA, X86Pte.make(0x10_0000 - 1, X86Pte.TABLE_FLAGS));
        assertKilled(f.cpu().load(USER_VA, true), "bad page directory entry");
    }

    @Test
    void tableEntryWithPseOrPwt() {
        f.userPage(USER_VA, 0x200, USER_RW | X86Pte.PSE);
        assertKilled(f.cpu().load(USER_VA, true), "bad page table entry");
    }

    @Test
    void tableEntryWithWriteThrough() {
        f.userPage(USER_VA, 0x200, USER_RW | X86Pte.PWT);
        assertKilled(f.cpu().store(USER_VA, true, 1), "bad page table entry");
    }

    @Test
    void tableEntryBeyondMemoryAndTheDeviceWindow() {
        f.userPage(USER_VA, (LguestFixture.MEM >>> 12) + 4, USER_RW);
        assertKilled(f.cpu().load(USER_VA, true), "bad page table entry");
    }

    @Test
    void tableEntryWithBadFrameInstalledThroughSetPte() {
        f.userPage(USER_VA, 0x200, USER_RW);
        f.cpu().load(USER_VA, true);
        f.cpu().hypercall(Hypercalls.SET_PTE, PGD, USER_VA, X86Pte.make(0xFFFFF, USER_RW | X86Pte.ACCESSED));
        assertKilled("bad page table entry");
    }

    @Test
    void touchingTheSwitcher() {
        assertKilled(f.cpu().load(Switcher.ADDRESS + 0x1000, false), "Switcher");
    }

    @Test
    void settingAnEntryInTheSwitcherSlot() {
        f.cpu().hypercall(Hypercalls.SET_PTE, PGD, Switcher.ADDRESS, X86Pte.make(0x200, USER_RW));
        assertKilled("Switcher");
    }

    @Test
    void directoryOutsideGuestMemory() {
        f.cpu().hypercall(Hypercalls.NEW_PGTABLE, 0xFFFF_F000L, 0, 0);
        assertKilled(f.cpu().load(USER_VA, true), "outside guest memory");
    }

    @Test
    void stackPageTheGuestDidNotMap() {
        f.cpu().hypercall(Hypercalls.SET_STACK, 0x21, 0xD000_0000L, 2);
        assertKilled("bad stack page");
    }

    @Test
    void stackOfTooManyPages() {
        f.cpu().hypercall(Hypercalls.SET_STACK, 0x21, LguestFixture.STACK_TOP, 3);
        assertKilled("bad stack");
    }

    @Test
    void unknownHypercall() {
        f.cpu().hypercall(99, 0, 0, 0);
        assertKilled("bad hypercall 99");
    }

    @Test
    void paeHypercallOnATwoLevelGuest() {
        f.cpu().queueHypercall(Hypercalls.SET_PMD, PGD, 0, 0);
        f.cpu().flushQueued();
        assertKilled("bad hypercall 13");
    }

    @Test
    void hostOutOfMemoryForAShadowTable() {
        f = new LguestFixture(1, 1, 1L << 30);
        f.userPage(USER_VA, 0x200, USER_RW);
        f.cpu().load(LguestFixture.PAGE_OFFSET, false); // enters the guest, backs the tables
        f.mem.readU32(0x200L << 12);                   // the data page is backed too
        List<Long> hog = exhaust(f.phys);
        AccessOutcome r = f.cpu().load(USER_VA, true);
        release(f.phys, hog);
        assertKilled(r, "out of memory for a shadow page table");
    }

    @Test
    void hostCannotBackTheGuestPage() {
        f.userPage(USER_VA, 0x200, USER_RW);
        f.userPage(USER_VA + 0x1000, 0x201, USER_RW);
        f.cpu().load(USER_VA, true);                   // the shadow table page exists now
        List<Long> hog = exhaust(f.phys);
        AccessOutcome r = f.cpu().load(USER_VA + 0x1000, true);  // guest frame 0x201 was never touched
        release(f.phys, hog);
        assertKilled(r, "could not get guest page 513");
    }

    @Test
    void aKilledGuestStaysDeadAndKeepsItsFirstReason() {
        f.cpu().hypercall(99, 0, 0, 0);
        f.cpu().hypercall(98, 0, 0, 0);
        assertKilled(f.cpu().load(LguestFixture.PAGE_OFFSET, false), "bad hypercall 99");
        assertInstanceOf(RunExit.Shutdown.class, f.cpu().run(), "every run of a killed guest ends in a shutdown");
    }

    private static List<Long> exhaust(PhysicalMemory phys) {
        List<Long> hog = new ArrayList<>();
        for (long p; (p = phys.allocate(0)) != PhysicalMemory.NO_FRAME; ) hog.add(p);
        return hog;
    }

    private static void release(PhysicalMemory phys, List<Long> hog) {
        for (long p : hog) phys.put(p);
    }
}
