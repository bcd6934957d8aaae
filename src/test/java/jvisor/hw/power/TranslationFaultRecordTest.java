package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The walker reports each failure as the record of the interrupt the ISA names for it, with that
 * interrupt's vector (Book III 7.5), and a translation that succeeds allocates nothing.
 */
class TranslationFaultRecordTest {
    static final long PAGE = 0xC000000000012000L;
    RadixMachine m;

    @BeforeEach
    void setUp() {
        m = new RadixMachine().identityPartition(21);
        m.mapGuest(0, PAGE, 0x345000, 12, KERNEL_RW | RadixEntry.EXECUTE);
    }

    private TranslationFault fault(long ea, int access, long msr) {
        assertEquals(-1, m.translate(ea, access, msr));
        return m.mmu.fault();
    }

    @Test
    void aProcessScopedMissIsADsiForDataAndAnIsiForAFetch() {
        var dsi = assertInstanceOf(TranslationFault.DataStorage.class, fault(PAGE + 0x1008, Mmu.STORE, GUEST_OS));
        assertEquals(0x300, dsi.vector());
        assertEquals(PAGE + 0x1008, dsi.dar());
        assertEquals(Dsisr.NO_TRANSLATION | Dsisr.STORE, dsi.dsisr());
        var isi = assertInstanceOf(TranslationFault.InstructionStorage.class, fault(PAGE + 0x1000, Mmu.FETCH, GUEST_OS));
        assertEquals(0x400, isi.vector());
        assertEquals(PAGE + 0x1000, isi.ea());
        assertEquals(Dsisr.NO_TRANSLATION, isi.srr1());
    }

    @Test
    void aPartitionScopedMissIsAnHdsiOrAnHisiWithTheGuestRealAddress() {
        // Guest real 0x1000010 is beyond the partition's 16 MiB.
        var hdsi = assertInstanceOf(TranslationFault.HypervisorDataStorage.class, fault(0x1000010, Mmu.LOAD, MSR_IR));
        assertEquals(0xE00, hdsi.vector());
        assertFalse(hdsi.fetch());
        assertEquals(0x1000010L, hdsi.hdar());
        assertEquals(0x1000010L, hdsi.asdr());
        assertEquals(Dsisr.NO_TRANSLATION, hdsi.cause());
        var hisi = assertInstanceOf(TranslationFault.HypervisorInstructionStorage.class, fault(0x1000010, Mmu.FETCH, MSR_DR));
        assertEquals(0xE20, hisi.vector());
        assertTrue(hisi.fetch());
        assertEquals(0x1000010L, hisi.ea());
        assertEquals(0x1000010L, hisi.asdr());
    }

    @Test
    void aProcessScopedTablePageMissingInThePartitionIsAnHdsiEvenForAFetch() {
        // The guest's process table entry for PID 7 points at a root beyond the partition's memory.
        m.guest.writeLongBE(GUEST_PROCESS_TABLE + 16 * 7, RadixTreeRoot.of52(0x1800000L));
        m.regs.pidr = 7;
        m.mmu.contextChanged();
        var f = assertInstanceOf(TranslationFault.HypervisorDataStorage.class, fault(0x5000, Mmu.FETCH, GUEST_OS));
        assertTrue((f.hdsisr() & Dsisr.TABLE_WALK) != 0, "a table read is a load");
        assertFalse(f.fetch());
    }

    @Test
    void segmentFaultsNameTheSideOfTheAccess() {
        var ds = assertInstanceOf(TranslationFault.DataSegment.class, fault(0x4000000000012345L, Mmu.LOAD, GUEST_OS));
        assertEquals(0x380, ds.vector());
        assertEquals(0x4000000000012345L, ds.dar());
        var is = assertInstanceOf(TranslationFault.InstructionSegment.class, fault(0x4000000000012344L, Mmu.FETCH, GUEST_OS));
        assertEquals(0x480, is.vector());
    }

    @Test
    void aPartitionTableOutsideMemoryIsAMachineCheckThatSaysWhetherALoadOrStoreMetIt() {
        // The partition table right after the end of host memory: LPID 1's entry is nowhere.
        m.regs.ptcr = Ptcr.of(HOST_SIZE, 0);
        m.mmu.contextChanged();
        var load = assertInstanceOf(TranslationFault.MachineCheck.class, fault(PAGE, Mmu.LOAD, GUEST_OS));
        assertEquals(0x200, load.vector());
        assertTrue(load.loadStore());
        assertEquals(PAGE, load.dar());
        var fetch = assertInstanceOf(TranslationFault.MachineCheck.class, fault(PAGE, Mmu.FETCH, GUEST_OS));
        assertFalse(fetch.loadStore());
    }

    @Test
    void aTlbMissThatSucceedsAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        for (int i = 0; i < 1000; i++) {
            m.mmu.contextChanged();
            assertEquals(0x2345008L, m.mmu.translate(PAGE + 8, Mmu.LOAD, GUEST_OS));
        }
        long before = threads.getThreadAllocatedBytes(tid);
        long sum = 0;
        for (int i = 0; i < 10_000; i++) {
            m.mmu.contextChanged();
            sum += m.mmu.translate(PAGE + 8, Mmu.LOAD, GUEST_OS);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertEquals(10_000 * 0x2345008L, sum);
        // Well below one object per walk: only the measurement itself may allocate.
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 10000 walks");
    }
}
