package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write to PIDR (an operating system's context switch) drops the translations made through the
 * old PID and keeps the operating system's own (quadrant 3, PID 0), as the hardware's PID-tagged
 * TLB does. An entry kept is observed by moving its page behind the TLB's back: the old address
 * still comes back until a tlbie.
 */
class ProcessIdSwitchTest {
    static final long KERNEL = 0xC000000000010000L, USER = 0x20000L;
    static final long USER_RW = RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE;
    RadixMachine m;

    @BeforeEach
    void setUp() {
        m = new RadixMachine().identityPartition(21);
        m.regs.pidr = 5;
        m.mapGuest(0, KERNEL, 0x100000, 12, KERNEL_RW);
        m.mapGuest(5, USER, 0x300000, 12, USER_RW);
        m.mapGuest(6, USER, 0x400000, 12, USER_RW);
        assertEquals(0x2100008L, m.translate(KERNEL + 8, Mmu.LOAD, GUEST_OS));
        assertEquals(0x2300008L, m.translate(USER + 8, Mmu.LOAD, GUEST_USER));
        // The kernel page moves behind the TLB's back.
        m.mapGuest(0, KERNEL, 0x500000, 12, KERNEL_RW);
    }

    private void switchTo(long pid) {
        m.regs.pidr = pid;
        m.mmu.processIdChanged(pid);
    }

    @Test
    void theOperatingSystemsTranslationsSurviveAContextSwitch() {
        long misses = m.mmu.misses();
        switchTo(6);
        assertEquals(0x2100008L, m.translate(KERNEL + 8, Mmu.LOAD, GUEST_OS), "the quadrant-3 entry is kept");
        assertEquals(misses, m.mmu.misses());
    }

    @Test
    void theOldProcesssTranslationsAreGoneAndTheNewOnesTablesAreRead() {
        switchTo(6);
        assertEquals(0x2400008L, m.translate(USER + 8, Mmu.LOAD, GUEST_USER), "PID 6's page, not PID 5's");
        switchTo(5);
        assertEquals(0x2300008L, m.translate(USER + 8, Mmu.LOAD, GUEST_USER), "PID 5's page again");
    }

    @Test
    void anyOtherContextChangeStillDropsEverything() {
        m.mmu.contextChanged();
        assertEquals(0x2500008L, m.translate(KERNEL + 8, Mmu.LOAD, GUEST_OS));
    }
}
