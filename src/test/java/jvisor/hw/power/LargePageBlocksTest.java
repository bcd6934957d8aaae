package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A TLB miss in a 2 MiB block of a large page that a walk already translated takes its granule
 * from the block ({@link RadixLargePages}): the same result as a walk, for every granule, until
 * an invalidation or a PIDR write says otherwise.
 */
class LargePageBlocksTest {
    /** The kernel's and the user's blocks sit in different slots of the direct-mapped cache. */
    static final long KERNEL_1G = 0xC000000040000000L, USER = 0x10200000L;
    static final long USER_RW = RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE;

    /** A guest kernel's 1G page at guest real 0 over the 2M partition-scoped pages of all 16 MiB. */
    private static RadixMachine kernel1G() {
        RadixMachine m = new RadixMachine().identityPartition(21);
        m.mapGuest(0, KERNEL_1G, 0, 30, KERNEL_RW);
        return m;
    }

    @Test
    void everyGranuleOfA1GPageGivesWhatAWalkGivesWithOneWalkPer2MBlock() {
        RadixMachine m = kernel1G();
        for (long off = 0x123; off < RadixMachine.GUEST_SIZE; off += 0x3000) {
            for (int access : new int[] {Mmu.LOAD, Mmu.STORE}) {
                long walked = m.explain(KERNEL_1G + off, access, GUEST_OS, null);
                assertEquals(walked, m.translate(KERNEL_1G + off, access, GUEST_OS), "granule at +0x" + Long.toHexString(off));
                assertEquals(RadixMachine.GUEST_BASE + off, walked);
            }
        }
        assertEquals(RadixMachine.GUEST_SIZE >> 21, m.mmu.misses(), "one walk per 2M block");
        assertTrue(m.mmu.largePageRefills() > 1000, m.mmu.largePageRefills() + " refills");
    }

    @Test
    void pagesSmallerThan2MLeaveNoBlock() {
        RadixMachine m = new RadixMachine(9, 5).identityPartition(21);
        for (long g = 0; g < 8; g++) {
            m.mapGuest(0, 0xC000000000100000L + (g << 16), 0x100000 + (g << 16), 16, KERNEL_RW);
        }
        for (long off = 0; off < 8 << 16; off += 0x1000) {
            assertEquals(0x2100000L + off, m.translate(0xC000000000100000L + off, Mmu.LOAD, GUEST_OS));
        }
        assertEquals(0, m.mmu.largePageRefills());
        assertEquals(8 << 4, m.mmu.misses(), "every 4K granule walked");
    }

    @Test
    void aTlbieDropsTheBlockOfAPageMovedBehindIt() {
        RadixMachine m = kernel1G();
        long block = 0x400000; // guest real 4M..6M: no tables there
        assertEquals(RadixMachine.GUEST_BASE + block + 0x8, m.translate(KERNEL_1G + block + 0x8, Mmu.LOAD, GUEST_OS));
        // The hypervisor moves the 2M partition-scoped backing of that block to host 0x2E00000.
        m.mapPartition(LPID, block, 0x2E00000L, 21, PART_RWX);
        assertEquals(RadixMachine.GUEST_BASE + block + 0x1008, m.translate(KERNEL_1G + block + 0x1008, Mmu.LOAD, GUEST_OS),
                "without a tlbie the old translation may stand, as in the TLB");
        m.mmu.invalidateLocal(Tlbie.partitionPage(LPID, block, 21));
        assertEquals(0x2E02008L, m.translate(KERNEL_1G + block + 0x2008, Mmu.LOAD, GUEST_OS), "after the tlbie, the new backing");
    }

    @Test
    void aPidrWriteDropsTheBlocksOfTheOldProcessAndKeepsTheKernels() {
        RadixMachine m = kernel1G();
        m.mapGuest(5, USER, 0x200000, 21, USER_RW);
        m.mapGuest(6, USER, 0x400000, 21, USER_RW);
        m.regs.pidr = 5;
        assertEquals(0x2200008L, m.translate(USER + 8, Mmu.LOAD, GUEST_USER));
        assertEquals(RadixMachine.GUEST_BASE + 8, m.translate(KERNEL_1G + 8, Mmu.LOAD, GUEST_OS));
        m.regs.pidr = 6;
        m.mmu.processIdChanged(6);
        assertEquals(0x2401008L, m.translate(USER + 0x1008, Mmu.LOAD, GUEST_USER), "PID 6's page, not PID 5's block");
        long walks = m.mmu.misses();
        assertEquals(RadixMachine.GUEST_BASE + 0x1008, m.translate(KERNEL_1G + 0x1008, Mmu.LOAD, GUEST_OS));
        assertEquals(walks, m.mmu.misses(), "the kernel's block (quadrant 3) stays");
    }

    @Test
    void aStoreToABlockWhoseChangeBitIsClearWalksAndFaultsAsAWalkWould() {
        RadixMachine m = new RadixMachine().identityPartition(21);
        long readOnlyUntilChanged = RadixEntry.PRIVILEGED | RadixEntry.READ_WRITE | RadixEntry.REFERENCE;
        m.mapGuest(0, 0xC000000000200000L, 0x200000, 21, readOnlyUntilChanged);
        assertEquals(0x2200008L, m.translate(0xC000000000200008L, Mmu.LOAD, GUEST_OS));
        long walks = m.mmu.misses();
        assertEquals(-1, m.translate(0xC000000000201008L, Mmu.STORE, GUEST_OS));
        assertEquals(walks + 1, m.mmu.misses(), "the store was walked, not taken from the block");
        assertNotNull(m.fault.fault, "the walk's fault: C is clear");
        assertEquals(-1, m.explain(0xC000000000201008L, Mmu.STORE, GUEST_OS, null));
    }
}
