package jvisor.kvm.lguest;

import static jvisor.kvm.lguest.LguestFixture.USER_VA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.hw.x86.PageFaultErrorCode;
import jvisor.hw.x86.X86Pte;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

class DemandPagingTest {
    private final LguestFixture f = new LguestFixture(1, 1);
    private static final int USER_RW = X86Pte.PRESENT | X86Pte.RW | X86Pte.USER;

    @Test
    void readFaultInstallsReadOnlyShadowAndTheFirstWriteFaultsAgainToSetDirty() {
        f.userPage(USER_VA, 0x200, USER_RW);
        LguestCpu cpu = f.cpu();

        assertEquals(AccessOutcome.DONE, cpu.load(USER_VA, true));
        int gpte = f.guestPte(LguestFixture.USER_PT, USER_VA);
        assertTrue(X86Pte.accessed(gpte), "the read set A in the guest's entry");
        assertFalse(X86Pte.dirty(gpte));
        int spte = f.shadowPte(USER_VA);
        assertTrue(X86Pte.present(spte));
        assertFalse(X86Pte.writable(spte), "read-only although the guest allows writes");
        assertEquals(1, f.lg.stats().hiddenFaults.sum());

        assertEquals(AccessOutcome.DONE, cpu.store(USER_VA, true, 0x1234));
        assertTrue(X86Pte.dirty(f.guestPte(LguestFixture.USER_PT, USER_VA)), "the write set D first");
        assertTrue(X86Pte.writable(f.shadowPte(USER_VA)));
        assertEquals(2, f.lg.stats().hiddenFaults.sum());
        assertEquals(1, f.lg.stats().dirtyFaults.sum());
        assertEquals(0, f.lg.stats().deliveredFaults.sum());

        assertEquals(AccessOutcome.DONE, cpu.store(USER_VA + 4, true, 1));
        assertEquals(2, f.lg.stats().hiddenFaults.sum(), "further writes run at hardware speed");
    }

    @Test
    void writeFaultOnACleanPageSetsAccessedAndDirtyAtOnce() {
        f.userPage(USER_VA, 0x200, USER_RW);
        assertEquals(AccessOutcome.DONE, f.cpu().store(USER_VA, true, 7));
        int gpte = f.guestPte(LguestFixture.USER_PT, USER_VA);
        assertTrue(X86Pte.accessed(gpte) && X86Pte.dirty(gpte));
        assertEquals(1, f.lg.stats().hiddenFaults.sum());
    }

    @Test
    void storesLandInTheGuestFrameTheGuestMapped() {
        f.userPage(USER_VA, 0x200, USER_RW);
        f.cpu().store(USER_VA + 8, true, 0xCAFE);
        assertEquals(0xCAFE, f.mem.readU32((0x200L << 12) + 8));
        assertEquals(f.hostFrame(0x200), X86Pte.pfn(f.shadowPte(USER_VA)));
    }

    @Test
    void dirtyGuestEntryIsInstalledWritableOnARead() {
        f.userPage(USER_VA, 0x200, USER_RW | X86Pte.ACCESSED | X86Pte.DIRTY);
        f.cpu().load(USER_VA, true);
        assertTrue(X86Pte.writable(f.shadowPte(USER_VA)));
    }

    @Test
    void globalBitNeverReachesTheShadow() {
        assertEquals(AccessOutcome.DONE, f.cpu().load(LguestFixture.PAGE_OFFSET + 0x5000, false));
        int spte = f.shadowPte(LguestFixture.PAGE_OFFSET + 0x5000);
        assertTrue(X86Pte.present(spte));
        assertEquals(0, spte & X86Pte.GLOBAL);
    }

    @Test
    void notPresentGuestEntryIsDeliveredToTheGuest() {
        assertEquals(AccessOutcome.GUEST_EXCEPTION, f.cpu().store(USER_VA + 0x3000, true, 0));
        assertEquals(USER_VA + 0x3000, f.cpu().faultAddress());
        assertEquals(PageFaultErrorCode.WRITE | PageFaultErrorCode.USER, f.cpu().faultCode());
        assertEquals(1, f.lg.stats().deliveredFaults.sum());
        assertNull(f.lg.deathReason());
    }

    @Test
    void notPresentDirectoryEntryIsDeliveredToTheGuest() {
        assertEquals(AccessOutcome.GUEST_EXCEPTION, f.cpu().load(0x4000_0000L, true));
        assertEquals(0, f.lg.stats().ptePagesAllocated.sum());
    }

    @Test
    void writeToAPageTheGuestMadeReadOnlyIsDelivered() {
        f.userPage(USER_VA, 0x200, X86Pte.PRESENT | X86Pte.USER);
        assertEquals(AccessOutcome.DONE, f.cpu().load(USER_VA, true));
        assertEquals(AccessOutcome.GUEST_EXCEPTION, f.cpu().store(USER_VA, true, 1));
        assertFalse(X86Pte.dirty(f.guestPte(LguestFixture.USER_PT, USER_VA)));
    }

    @Test
    void userAccessToAKernelPageIsDelivered() {
        assertEquals(AccessOutcome.GUEST_EXCEPTION, f.cpu().load(LguestFixture.PAGE_OFFSET, true));
        assertEquals(PageFaultErrorCode.USER, f.cpu().faultCode() & PageFaultErrorCode.USER);
    }

    @Test
    void directoryThatForbidsTheAccessIsDeliveredNotRetriedForever() {
        f.pde(LguestFixture.PGD, USER_VA, X86Pte.make(LguestFixture.USER_PT >>> 12, X86Pte.PRESENT | X86Pte.USER));
        f.userPage(USER_VA, 0x200, USER_RW);
        assertEquals(AccessOutcome.GUEST_EXCEPTION, f.cpu().store(USER_VA, true, 1));
        assertNull(f.lg.deathReason());
    }

    @Test
    void oneShadowTablePageServesAWholeFourMegabytes() {
        for (int i = 0; i < 16; i++) f.userPage(USER_VA + i * 4096L, 0x200 + i, USER_RW);
        for (int i = 0; i < 16; i++) assertEquals(AccessOutcome.DONE, f.cpu().load(USER_VA + i * 4096L, true));
        assertEquals(1, f.lg.stats().ptePagesAllocated.sum());
        assertEquals(16, f.lg.stats().hiddenFaults.sum());
    }

    @Test
    void deviceWindowAccessExitsToTheLauncherEveryTime() {
        long device = LguestFixture.MEM >>> 12;
        f.userPage(USER_VA, device + 1, USER_RW);
        assertEquals(AccessOutcome.EXIT, f.cpu().store(USER_VA + 0x10, true, 5));
        RunExit.Mmio store = assertInstanceOf(RunExit.Mmio.class, f.cpu().lastExit());
        assertEquals(((device + 1) << 12) + 0x10, store.physAddr());
        assertTrue(store.isWrite());
        assertEquals(5, store.valueLittleEndian());
        assertEquals(AccessOutcome.EXIT, f.cpu().load(USER_VA + 0x10, true));
        RunExit.Mmio load = assertInstanceOf(RunExit.Mmio.class, f.cpu().lastExit());
        assertFalse(load.isWrite());
        load.setValueLittleEndian(0x1234_5678);
        assertEquals(RunExit.Interrupted.INSTANCE, f.cpu().run(), "completing the load needs nothing more");
        assertEquals(0x1234_5678, f.cpu().loaded(), "the launcher's answer is what the load returns");
        assertEquals(2, f.lg.stats().mmioExits.sum());
        assertEquals(0, f.shadowPte(USER_VA), "never shadowed, so every access exits");
    }
}
