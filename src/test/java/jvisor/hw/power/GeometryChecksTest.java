package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unsupported tree shapes and table placement give the architected faults. */
class GeometryChecksTest {
    static final long EA = 0xC000000000012345L;
    static final long BAD_CONFIG = 0x00080000L, NO_TRANSLATION = 0x40000000L;
    RadixMachine m;

    @BeforeEach
    void setUp() {
        m = new RadixMachine().identityPartition(21);
    }

    private void assertDsi(long dsisr) {
        assertEquals(0x300, m.fault.vector, m.fault.toString());
        assertEquals(dsisr, m.fault.dsisr, m.fault.toString());
        assertEquals(EA, m.fault.dar);
    }

    /** Guest real address of a fresh, zeroed, 64K-aligned table area. */
    private long table() {
        return m.allocateGuest(0x10000);
    }

    @Test
    void onlyThe52BitTreeIsAccepted() {
        long root = table();
        m.guest.writeLongBE(GUEST_PROCESS_TABLE, RadixTreeRoot.encode(root, 13, 48));
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertDsi(BAD_CONFIG);
    }

    @Test
    void rootDirectoryMustHave13Bits() {
        m.guest.writeLongBE(GUEST_PROCESS_TABLE, RadixTreeRoot.encode(table(), 12, 52));
        assertEquals(-1, m.translate(EA, Mmu.STORE, GUEST_OS));
        assertDsi(BAD_CONFIG | 0x02000000L);
    }

    @Test
    void secondLevelMustHave9Bits() {
        long root = table();
        m.guest.writeLongBE(GUEST_PROCESS_TABLE, RadixTreeRoot.of52(root));
        // EA 0x12345 indexes slot 0 at every level.
        m.guest.writeLongBE(root, RadixEntry.pde(table(), 8));
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertDsi(BAD_CONFIG);
    }

    @Test
    void lastLevelOf5BitsGives64KPages() {
        RadixMachine m64 = new RadixMachine(9, 5).identityPartition(21);
        m64.mapGuest(0, 0xC000000000030000L, 0x120000, 16, KERNEL_RW);
        // EA 0x3ABCD: offset 0xABCD in the 64K page at gRA 0x120000 -> host 0x2000000 + 0x12ABCD.
        assertEquals(0x212ABCDL, m64.translate(0xC00000000003ABCDL, Mmu.LOAD, GUEST_OS));
        assertEquals(16, m64.mmu.lastTranslation().processPageShift);
    }

    @Test
    void lastLevelOf7BitsIsRejected() {
        long root = table(), l1 = table(), l2 = table();
        m.guest.writeLongBE(GUEST_PROCESS_TABLE, RadixTreeRoot.of52(root));
        m.guest.writeLongBE(root, RadixEntry.pde(l1, 9));
        m.guest.writeLongBE(l1, RadixEntry.pde(l2, 9));
        m.guest.writeLongBE(l2, RadixEntry.pde(table(), 7));
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertDsi(BAD_CONFIG);
    }

    @Test
    void aLeafInTheRootDirectoryIsRejected() {
        long root = table();
        m.guest.writeLongBE(GUEST_PROCESS_TABLE, RadixTreeRoot.of52(root));
        m.guest.writeLongBE(root, RadixEntry.pte(0, KERNEL_RW));
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertDsi(BAD_CONFIG);
    }

    @Test
    void aLeafWhoseRpnIsNotAlignedToItsPageIsRejected() {
        long root = table(), l1 = table(), l2 = table();
        m.guest.writeLongBE(GUEST_PROCESS_TABLE, RadixTreeRoot.of52(root));
        m.guest.writeLongBE(root, RadixEntry.pde(l1, 9));
        m.guest.writeLongBE(l1, RadixEntry.pde(l2, 9));
        // A 2M leaf at level 2 pointing at 0x201000.
        m.guest.writeLongBE(l2, RadixEntry.pte(0x201000, KERNEL_RW));
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertDsi(BAD_CONFIG);
        // Aligned, the same leaf works: 0x200000 + 0x12345.
        m.guest.writeLongBE(l2, RadixEntry.pte(0x200000, KERNEL_RW));
        assertEquals(0x2212345L, m.translate(EA, Mmu.LOAD, GUEST_OS));
    }

    @Test
    void aDirectoryAtTheLastLevelIsRejected() {
        long root = table(), l1 = table(), l2 = table(), l3 = table();
        m.guest.writeLongBE(GUEST_PROCESS_TABLE, RadixTreeRoot.of52(root));
        m.guest.writeLongBE(root, RadixEntry.pde(l1, 9));
        m.guest.writeLongBE(l1, RadixEntry.pde(l2, 9));
        m.guest.writeLongBE(l2, RadixEntry.pde(l3, 9));
        m.guest.writeLongBE(l3 + 0x12 * 8, RadixEntry.pde(table(), 9));
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertDsi(BAD_CONFIG);
    }

    @Test
    void misalignedTableBasesAreMaskedAsQemuDoes() {
        m.mapGuest(0, EA, 0x345000, 12, KERNEL_RW);
        long prte = m.guest.readLongBE(GUEST_PROCESS_TABLE);
        // Root directories are 64K aligned; 0x100 and 0x8000 of garbage below that are ignored.
        m.guest.writeLongBE(GUEST_PROCESS_TABLE, prte | 0x8100);
        assertEquals(0x2345345L, m.translate(EA, Mmu.LOAD, GUEST_OS));
        // Same for a PDE: the 4K-aligned level 1 table found through a base with 0xF00 added.
        long root = RadixTreeRoot.rpdb(prte);
        long pde = m.guest.readLongBE(root);
        m.guest.writeLongBE(root, pde | 0xF00);
        m.mmu.contextChanged();
        assertEquals(0x2345345L, m.translate(EA, Mmu.LOAD, GUEST_OS));
    }

    @Test
    void aProcessTableNotAlignedToItsSizeIsABadConfiguration() {
        // PRTS=1: an 8K table, at 0x11000 which is only 4K aligned.
        m.host.writeLongBE(PARTITION_TABLE + 16 + 8, PartitionTableEntry.radixDword1(0x11000, 1));
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertDsi(BAD_CONFIG);
    }

    @Test
    void aPidBeyondTheProcessTableHasNoTranslation() {
        // PRTS=0: 4K / 16 = 256 entries, so PID 256 is out.
        m.regs.pidr = 256;
        assertEquals(-1, m.translate(0x1000, Mmu.LOAD, GUEST_USER));
        assertEquals(0x300, m.fault.vector);
        assertEquals(NO_TRANSLATION, m.fault.dsisr);
        assertEquals(0x1000, m.fault.dar);
    }

    @Test
    void anAllZeroProcessTableEntryIsABadConfiguration() {
        m.regs.pidr = 7;
        assertEquals(-1, m.translate(0x1000, Mmu.FETCH, GUEST_USER));
        assertEquals(0x400, m.fault.vector);
        assertEquals(BAD_CONFIG, m.fault.dsisr);
    }

    @Test
    void aPartitionTableEntryWithoutHrIsAnHdsiWithAsdrEqualToEa() {
        m.host.writeLongBE(PARTITION_TABLE + 16, m.host.readLongBE(PARTITION_TABLE + 16) & ~PartitionTableEntry.HR);
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertEquals(0xE00, m.fault.vector);
        assertEquals(BAD_CONFIG, m.fault.hdsisr);
        assertEquals(EA, m.fault.hdar);
        assertEquals(EA, m.fault.asdr);
        assertEquals(-1, m.translate(0x12344, Mmu.FETCH, MSR_IR));
        assertEquals(0xE20, m.fault.vector);
        assertEquals(BAD_CONFIG, m.fault.hdsisr);
    }

    @Test
    void anLpidBeyondThePartitionTableIsAnHdsi() {
        m.regs.lpidr = 256;
        assertEquals(-1, m.translate(EA, Mmu.STORE, GUEST_OS));
        assertEquals(0xE00, m.fault.vector);
        assertEquals(BAD_CONFIG | 0x02000000L, m.fault.hdsisr);
    }

    @Test
    void anInvalidEntryIsNoTranslationWithTheStoreBitForStores() {
        m.mapGuest(0, EA, 0x345000, 12, KERNEL_RW);
        assertEquals(-1, m.translate(EA + 0x1000, Mmu.STORE, GUEST_OS));
        assertDsiAt(EA + 0x1000, NO_TRANSLATION | 0x02000000L);
        assertEquals(-1, m.translate(EA + 0x1000, Mmu.FETCH, GUEST_OS));
        assertEquals(0x400, m.fault.vector);
        assertEquals(NO_TRANSLATION, m.fault.dsisr);
        assertEquals(0, m.fault.dar);
    }

    private void assertDsiAt(long ea, long dsisr) {
        assertEquals(0x300, m.fault.vector);
        assertEquals(dsisr, m.fault.dsisr);
        assertEquals(ea, m.fault.dar);
    }
}
