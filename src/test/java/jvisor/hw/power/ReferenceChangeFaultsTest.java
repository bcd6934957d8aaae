package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POWER9 never sets R or C itself: it raises a storage interrupt with DSISR MSB 45. */
class ReferenceChangeFaultsTest {
    static final long RC_FAULT = 0x00040000L, STORE = 0x02000000L, PROTECTION = 0x08000000L;
    static final long EA = 0xC000000000010010L;
    static final long KERNEL_RW_NO_RC = RadixEntry.PRIVILEGED | RadixEntry.READ_WRITE;
    RadixMachine m;

    @BeforeEach
    void setUp() {
        m = new RadixMachine().identityPartition(12);
    }

    @Test
    void aLoadFromAPageWithoutRFaultsWithMsb45() {
        m.mapGuest(0, EA, 0x300000, 12, KERNEL_RW_NO_RC);
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertEquals(0x300, m.fault.vector);
        assertEquals(RC_FAULT, m.fault.dsisr);
        assertEquals(EA, m.fault.dar);
    }

    @Test
    void aFetchFromAPageWithoutRFaultsWithSrr1Msb45() {
        m.mapGuest(0, EA, 0x300000, 12, RadixEntry.PRIVILEGED | RadixEntry.EXECUTE);
        assertEquals(-1, m.translate(EA, Mmu.FETCH, GUEST_OS));
        assertEquals(0x400, m.fault.vector);
        assertEquals(RC_FAULT, m.fault.dsisr);
    }

    @Test
    void aStoreToAPageWithRButNotCFaultsWithMsb45AndTheStoreBit() {
        m.mapGuest(0, EA, 0x300000, 12, KERNEL_RW_NO_RC | RadixEntry.REFERENCE);
        assertEquals(0x2300010L, m.translate(EA, Mmu.LOAD, GUEST_OS));
        // The load filled the TLB; the store must not be satisfied from it.
        assertEquals(-1, m.translate(EA, Mmu.STORE, GUEST_OS));
        assertEquals(RC_FAULT | STORE, m.fault.dsisr);
        // The OS sets C; no tlbie is needed for the store to go through.
        m.mapGuest(0, EA, 0x300000, 12, KERNEL_RW_NO_RC | RadixEntry.REFERENCE | RadixEntry.CHANGE);
        assertEquals(0x2300010L, m.translate(EA, Mmu.STORE, GUEST_OS));
    }

    @Test
    void aPermissionErrorTakesPrecedenceOverAnRcError() {
        m.mapGuest(0, EA, 0x300000, 12, RadixEntry.PRIVILEGED | RadixEntry.READ);
        assertEquals(-1, m.translate(EA, Mmu.STORE, GUEST_OS));
        assertEquals(PROTECTION | STORE, m.fault.dsisr);
    }

    @Test
    void aPartitionScopedPageWithoutCIsAnHdsiWithMsb45ForAGuest() {
        m.mapPartition(LPID, 0x300000, 0x2300000, 12, RadixEntry.READ_WRITE | RadixEntry.REFERENCE);
        m.mapGuest(0, EA, 0x300000, 12, KERNEL_RW);
        assertEquals(0x2300010L, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertEquals(-1, m.translate(EA, Mmu.STORE, GUEST_OS));
        assertEquals(0xE00, m.fault.vector);
        assertEquals(RC_FAULT | STORE, m.fault.hdsisr);
        assertEquals(EA, m.fault.hdar);
        assertEquals(0x300010L, m.fault.asdr);
    }

    @Test
    void withEffectiveLpid0ThePartitionScopedRcFaultIsAPlainDsi() {
        // A guest-privileged context with LPIDR = 0, real mode: only LPID 0's partition tree applies.
        m.regs.lpidr = 0;
        m.mapPartition(0, 0x5000, 0x3005000, 12, RadixEntry.READ_WRITE);
        assertEquals(-1, m.translate(0x5008, Mmu.LOAD, MSR_IR));
        assertEquals(0x300, m.fault.vector);
        assertEquals(RC_FAULT, m.fault.dsisr);
        assertEquals(0x5008, m.fault.dar);
    }

    @Test
    void permissionOnTheProcessStageComesBeforeRcOnThePartitionStage() {
        m.mapPartition(LPID, 0x300000, 0x2300000, 12, RadixEntry.READ_WRITE);
        m.mapGuest(0, EA, 0x300000, 12, RadixEntry.PRIVILEGED | RadixEntry.READ | RadixEntry.REFERENCE);
        assertEquals(-1, m.translate(EA, Mmu.STORE, GUEST_OS));
        assertEquals(0x300, m.fault.vector);
        assertEquals(PROTECTION | STORE, m.fault.dsisr);
    }
}
