package jvisor.kvm.lguest;

import static jvisor.kvm.lguest.LguestFixture.USER_VA;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.x86.X86Pte;
import jvisor.kvm.AccessOutcome;
import org.junit.jupiter.api.Test;

/**
 * A 32-bit access that straddles two pages goes to the two guest frames the guest mapped, each
 * page translated on its own, and nowhere else (found by the fuzzer: the last bytes went to the
 * host frame after the first page's frame).
 */
class UnalignedAccessTest {
    private static final int USER_RW = X86Pte.PRESENT | X86Pte.RW | X86Pte.USER;
    private final LguestFixture f = new LguestFixture(1, 1);

    @Test
    void aStoreAndALoadAcrossPagesUseBothMappedFrames() {
        f.userPage(USER_VA, 0x200, USER_RW);
        f.userPage(USER_VA + 4096, 0x300, USER_RW);
        assertEquals(AccessOutcome.DONE, f.cpu().store(USER_VA + 4094, true, 0x4433_2211));
        assertEquals(0x2211, f.mem.readU32((0x200L << 12) + 4092) >>> 16);
        assertEquals(0x4433, f.mem.readU32(0x300L << 12) & 0xFFFF);
        assertEquals(AccessOutcome.DONE, f.cpu().load(USER_VA + 4095, true));
        assertEquals(0x0044_3322, f.cpu().loaded());
        assertEquals(0, f.phys.guard().outsideAccesses(), () -> f.phys.guard().firstOutsideAccesses().toString());
    }

    @Test
    void aMissingSecondPageIsTheGuestsFaultAtThatPage() {
        f.userPage(USER_VA, 0x200, USER_RW);
        assertEquals(AccessOutcome.GUEST_EXCEPTION, f.cpu().store(USER_VA + 4093, true, -1));
        assertEquals(USER_VA + 4096, f.cpu().faultAddress());
        assertEquals(0, f.mem.readU32((0x200L << 12) + 4092), "nothing was written to the first page");
    }
}
