package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.RadixEntry;
import jvisor.hw.power.RadixPermissions;
import jvisor.hw.power.RadixTreeBuilder;
import jvisor.hw.power.RadixTreeRoot;
import jvisor.memory.RealMemory;
import org.junit.jupiter.api.Test;

/** The hypervisor's software walk of the guest's process-scoped tables (for MMIO emulation). */
class GuestPageTableWalkTest {
    private static final long PRTB = 0x10_0000L;
    private static final long RW = RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE;

    private final RadixVmFixture f = new RadixVmFixture();
    private final RealMemory guest;
    private final RadixTreeBuilder builder;
    private long next = 0x20_0000L;
    private long processTable;

    GuestPageTableWalkTest() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        guest = f.vm.guestMemory().asRealMemory();
        builder = new RadixTreeBuilder(guest, bytes -> {
            long a = (next + bytes - 1) & -bytes;
            next = a + bytes;
            return a;
        }, 9);
    }

    /** Gives process {@code pid} a new tree in a process table of 2^(12+prts) bytes; returns the root dword. */
    private long newProcess(int pid, int prts) {
        long root = builder.newRoot();
        guest.writeLongBE(PRTB + 16L * pid, root);
        processTable = PRTB | prts;
        return root;
    }

    private GuestTranslation xlate(long pidr, long msr, long amr, long iamr, long ea) {
        return GuestPageTableWalk.xlate(f.vm.guestMemory(), processTable, pidr, msr, amr, iamr, ea);
    }

    @Test
    void translatesThroughTheGuestsFourLevelTree() {
        long root = newProcess(5, 0);
        builder.map(root, 0x1000_0000L, 12, RadixEntry.pte(0x200_0000L, RW | RadixEntry.EXECUTE));
        GuestTranslation t = xlate(5, 0, 0, 0, 0x1000_0123L);
        assertTrue(t.ok(), t.toString());
        assertEquals(0x200_0123L, t.gpa());
        assertEquals(12, t.pageShift());
        assertTrue(t.mayRead() && t.mayWrite() && t.mayExecute());
    }

    @Test
    void theReadWriteBitAloneGrantsReadingAsTheHardwareDoes() {
        // EAA RW = 1 is read/write (Book III 6.7.10.1); the rights match what the core's MMU enforces.
        long root = newProcess(6, 0);
        builder.map(root, 0x2000, 12, RadixEntry.pte(0x40_0000L, RadixEntry.READ_WRITE | RadixEntry.REFERENCE));
        GuestTranslation t = xlate(6, 0, 0, 0, 0x2000);
        assertTrue(t.mayRead() && t.mayWrite() && !t.mayExecute(), t.toString());
        assertEquals(RadixPermissions.eaa(RadixEntry.READ_WRITE), RadixPermissions.READ | RadixPermissions.WRITE);
    }

    @Test
    void largeLeavesGiveTheirPageSize() {
        long root = newProcess(1, 0);
        builder.map(root, 0x4000_0000L, 30, RadixEntry.pte(0, RW));
        builder.map(root, 0x8020_0000L, 21, RadixEntry.pte(0x20_0000L, RW));
        assertEquals(30, xlate(1, 0, 0, 0, 0x4123_4567L).pageShift());
        assertEquals(0x0123_4567L, xlate(1, 0, 0, 0, 0x4123_4567L).gpa());
        assertEquals(0x21_2345L, xlate(1, 0, 0, 0, 0x8021_2345L).gpa());
    }

    @Test
    void quadrantThreeUsesPidZeroAndQuadrantsOneAndTwoAreRefused() {
        long kernel = newProcess(0, 0);
        builder.map(kernel, 0x5000, 12, RadixEntry.pte(0x30_0000L, RW | RadixEntry.PRIVILEGED));
        GuestTranslation t = xlate(7, 0, 0, 0, 0xC000_0000_0000_5008L);
        assertEquals(0x30_0008L, t.gpa());
        assertEquals(GuestTranslation.Status.BAD_CONFIG, xlate(7, 0, 0, 0, 0x4000_0000_0000_5008L).status());
        assertEquals(GuestTranslation.Status.BAD_CONFIG, xlate(7, 0, 0, 0, 0x8000_0000_0000_5008L).status());
    }

    @Test
    void aPidBeyondTheProcessTableIsRefused() {
        newProcess(0, 0);
        assertEquals(GuestTranslation.Status.BAD_CONFIG, xlate(256, 0, 0, 0, 0x1000).status(),
                "a 4 KiB process table holds PIDs 0..255");
    }

    @Test
    void anInvalidEntryIsNotPresent() {
        newProcess(2, 0);
        assertEquals(GuestTranslation.Status.NOT_PRESENT, xlate(2, 0, 0, 0, 0x1000).status());
    }

    @Test
    void aTableOutsideGuestMemoryIsReportedWithItsAddress() {
        long root = newProcess(3, 0);
        long rootBase = RadixTreeRoot.rpdb(root);
        long slot = rootBase + 8L * ((0x1000_0000L >>> 39) & 0x1FFF);
        guest.writeLongBE(slot, RadixEntry.pde(0x7_0000_0000L, 9));
        GuestTranslation t = xlate(3, 0, 0, 0, 0x1000_0000L);
        assertEquals(GuestTranslation.Status.BAD_TABLE_ADDRESS, t.status());
        assertEquals(0x7_0000_0000L + 8L * ((0x1000_0000L >>> 30) & 511), t.failedAddress());
    }

    @Test
    void problemStateLosesPrivilegedPagesAndAmrFiltersPrivilegedAccessToUserPages() {
        long root = newProcess(4, 0);
        builder.map(root, 0x1000, 12, RadixEntry.pte(0x40_0000L, RW | RadixEntry.EXECUTE | RadixEntry.PRIVILEGED));
        builder.map(root, 0x2000, 12, RadixEntry.pte(0x41_0000L, RW | RadixEntry.EXECUTE));
        long pr = 1L << 14;
        GuestTranslation kernelPageFromUser = xlate(4, pr, 0, 0, 0x1000);
        assertFalse(kernelPageFromUser.mayRead() || kernelPageFromUser.mayWrite() || kernelPageFromUser.mayExecute());
        GuestTranslation userPageLocked = xlate(4, 0, 0xC000_0000_0000_0000L, 1L << 62, 0x2000);
        assertFalse(userPageLocked.mayRead() || userPageLocked.mayWrite() || userPageLocked.mayExecute());
        GuestTranslation writeOnlyLocked = xlate(4, 0, 1L << 63, 0, 0x2000);
        assertTrue(writeOnlyLocked.mayRead() && !writeOnlyLocked.mayWrite() && writeOnlyLocked.mayExecute());
        GuestTranslation userFromUser = xlate(4, pr, 0xC000_0000_0000_0000L, 1L << 62, 0x2000);
        assertTrue(userFromUser.mayRead() && userFromUser.mayWrite(), "AMR key 0 filters privileged accesses only");
    }

    // --- the two bugs the seed's commit fixed ---

    @Test
    void theProcessTableIsFoundByItsPrtbFieldNotTheWholeRegisteredValue() {
        // With PRTS = 4 the registered value is PRTB | 4; using it whole as the base reads the
        // entry 4 bytes off and finds no valid tree.
        long root = newProcess(1, 4);
        builder.map(root, 0x6000, 12, RadixEntry.pte(0x50_0000L, RW));
        assertEquals(PRTB | 4, processTable);
        GuestTranslation t = xlate(1, 0, 0, 0, 0x6010);
        assertTrue(t.ok(), t.toString());
        assertEquals(0x50_0010L, t.gpa());
    }

    @Test
    void theRootIsTheRpdbFieldOfTheProcessTableEntry() {
        // The entry carries RTS in bits 1:2 and 56:58 and RPDS=13 low: a wrong RPDB mask lets
        // some of them into the root address.
        long root = newProcess(0, 0);
        assertEquals(0x4000_0000_0000_00ADL, root & ~RadixTreeRoot.RPDB_MASK, "RTS = 21 and RPDS = 13 around RPDB");
        assertEquals(0x0FFF_FFFF_FFFF_FF00L, RadixTreeRoot.RPDB_MASK);
        builder.map(root, 0xC000_0000_0000_7000L & 0x3FFF_FFFF_FFFF_FFFFL, 12, RadixEntry.pte(0x60_0000L, RW));
        assertEquals(0x60_0000L, xlate(0, 0, 0, 0, 0xC000_0000_0000_7000L).gpa());
    }

    // --- hostile guest tables ---

    @Test
    void aDirectoryPointingBackAtItselfEndsTheWalk() {
        long root = newProcess(6, 0);
        long base = RadixTreeRoot.rpdb(root);
        long slot = base + 8L * ((0x1000_0000L >>> 39) & 0x1FFF);
        // Point the root slot at a 512-entry table that is the root directory itself.
        guest.writeLongBE(slot, RadixEntry.pde(base, 9));
        GuestTranslation t = xlate(6, 0, 0, 0, 0x1000_0000L);
        assertFalse(t.ok());
    }

    @Test
    void garbageProcessTableEntriesNeverEscapeAsExceptions() {
        newProcess(0, 0);
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            guest.writeLongBE(PRTB, r.nextLong());
            for (int k = 0; k < 8; k++) guest.writeLongBE(0x20_0000L + 8L * r.nextInt(8192), r.nextLong());
            GuestTranslation t = xlate(0, r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
            assertNotNull(t.status());
        }
    }
}
