package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QuadrantTest {
    RadixMachine m;

    @BeforeEach
    void setUp() {
        m = new RadixMachine().identityPartition(21);
        m.regs.pidr = 5;
        // PID 0 (guest OS) maps EA 0x12000 of quadrant 3 to guest real 0x345000.
        m.mapGuest(0, 0xC000000000012000L, 0x345000, 12, KERNEL_RW);
        // PID 5 (an application) maps EA 0x12000 of quadrant 0 to guest real 0x456000.
        m.mapGuest(5, 0x12000, 0x456000, 12, RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE);
    }

    @Test
    void guestQuadrant3UsesPid0Tree() {
        // gRA 0x345345 + guest base 0x2000000.
        assertEquals(0x2345345L, m.translate(0xC000000000012345L, Mmu.LOAD, GUEST_OS));
    }

    @Test
    void guestQuadrant0UsesPidrTree() {
        assertEquals(0x2456345L, m.translate(0x12345L, Mmu.LOAD, GUEST_USER));
    }

    @Test
    void guestQuadrant1IsADataSegmentInterruptWithDar() {
        assertEquals(-1, m.translate(0x4000000000012345L, Mmu.STORE, GUEST_OS));
        assertEquals(0x380, m.fault.vector);
        assertEquals(0x4000000000012345L, m.fault.dar);
        assertEquals(0, m.fault.dsisr);
    }

    @Test
    void guestQuadrant2FetchIsAnInstructionSegmentInterrupt() {
        assertEquals(-1, m.translate(0x8000000000012344L, Mmu.FETCH, GUEST_OS));
        assertEquals(0x480, m.fault.vector);
    }

    @Test
    void eaBits2To11NonZeroIsASegmentInterruptNotADsi() {
        // MSB 11 is 0x0010000000000000.
        assertEquals(-1, m.translate(0xC010000000012345L, Mmu.LOAD, GUEST_OS));
        assertEquals(0x380, m.fault.vector);
        assertEquals(0xC010000000012345L, m.fault.dar);
        // MSB 2.
        assertEquals(-1, m.translate(0x2000000000000000L, Mmu.FETCH, GUEST_OS));
        assertEquals(0x480, m.fault.vector);
        // MSB 12 is inside the 52-bit space: an ordinary miss, a DSI.
        assertEquals(-1, m.translate(0xC008000000000000L, Mmu.LOAD, GUEST_OS));
        assertEquals(0x300, m.fault.vector);
    }

    @Test
    void guestRealModeStillGoesThroughThePartitionScopedTree() {
        // MSR[DR]=0, HV=0: EA 0x345678 is a guest real address -> host 0x2345678.
        assertEquals(0x2345678L, m.translate(0x345678, Mmu.LOAD, MSR_IR));
        // Beyond the partition's 16 MiB: no partition-scoped translation -> HDSI with ASDR = gRA.
        assertEquals(-1, m.translate(0x1000010, Mmu.LOAD, MSR_IR));
        assertEquals(0xE00, m.fault.vector);
        assertEquals(0x40000000L, m.fault.hdsisr);
        assertEquals(0x1000010L, m.fault.asdr);
        assertEquals(0x1000010L, m.fault.hdar);
    }

    @Test
    void hypervisorRealModeIgnoresEaBits0To3() {
        assertEquals(0x0000000001234567L, m.translate(0xF000000001234567L, Mmu.LOAD, MSR_HV));
        assertEquals(0x0123456789ABCDEFL, m.translate(0xF123456789ABCDEFL, Mmu.FETCH, MSR_HV | MSR_DR));
    }

    @Test
    void hypervisorQuadrant0IsLpid0WithPidrAndNoPartitionStage() {
        m.mapHost(5, 0x7000, 0x3000000, 12, KERNEL_RW);
        assertEquals(0x3000123L, m.translate(0x7123, Mmu.LOAD, HYPERVISOR));
        assertEquals(0, m.mmu.lastTranslation().lpid);
        assertEquals(5, m.mmu.lastTranslation().pid);
    }

    @Test
    void hypervisorQuadrant3IsLpid0Pid0() {
        m.mapHost(0, 0xC000000000007000L, 0x3001000, 12, KERNEL_RW);
        assertEquals(0x3001123L, m.translate(0xC000000000007123L, Mmu.LOAD, HYPERVISOR));
    }

    @Test
    void hypervisorQuadrant1ReachesTheGuestApplicationThroughBothStages() {
        // (LPIDR=1, PIDR=5): the guest application's mapping, as KVM uses it to read guest memory.
        assertEquals(0x2456345L, m.translate(0x4000000000012345L, Mmu.LOAD, HYPERVISOR));
        assertEquals(1, m.mmu.lastTranslation().lpid);
        assertEquals(5, m.mmu.lastTranslation().pid);
    }

    @Test
    void hypervisorQuadrant2ReachesTheGuestKernel() {
        // (LPIDR=1, PID 0).
        assertEquals(0x2345345L, m.translate(0x8000000000012345L, Mmu.LOAD, HYPERVISOR));
    }
}
