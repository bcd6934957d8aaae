package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import jvisor.hw.power.Msr;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

/**
 * A write by the hypervisor into the reservation granule of a vCPU's lwarx (an RTAS return block,
 * H_PAGE_INIT, swap-in) is a store by another agent: the vCPU's stwcx. fails (Book II 1.7.4.1).
 */
class HostWriteLosesReservationTest {
    static final long CODE = 0x400000, WORD = 0x500000;

    private final RadixVmFixture f = new RadixVmFixture();
    private final PowerVcpu v;

    HostWriteLosesReservationTest() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        // lwarx r7,0,r4; li r3,0x1240; sc 1 (an unknown hypercall: the test acts);
        // stwcx. r5,0,r4; mfcr r6; li r3,0x1240; sc 1
        int[] code = {0x7ce02028, 0x38601240, 0x44000022, 0x7ca0212d, 0x7cc00026, 0x38601240, 0x44000022};
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeU32BE(CODE + 4L * i, code[i]);
        f.vm.guestMemory().writeU32BE(WORD, 5);
        v = PowerVcpu.create(f.vm, 0);
        v.start(CODE, 0, Msr.SF | Msr.ME);
        v.core().setGpr(4, WORD);
        v.core().setGpr(5, 9);
    }

    /** Runs to the sc 1 after lwarx, lets the host act, then runs the stwcx.; true if it succeeded. */
    private boolean storeConditionalAfter(Runnable host) {
        assertEquals(0x1240, assertInstanceOf(RunExit.Hypercall.class, v.run()).nr());
        assertEquals(5, v.core().gpr(7), "lwarx");
        host.run();
        assertEquals(0x1240, assertInstanceOf(RunExit.Hypercall.class, v.run()).nr());
        return (v.core().gpr(6) & 0x2000_0000L) != 0; // CR0[EQ]
    }

    @Test
    void withoutAHostWriteTheStoreConditionalSucceeds() {
        assertEquals(true, storeConditionalAfter(() -> { }));
        assertEquals(9, f.vm.guestMemory().readU32BE(WORD));
    }

    @Test
    void aHostWriteElsewhereInTheGranuleLosesTheReservation() {
        // Another doubleword of the same 128 bytes: the reserved word itself still holds 5.
        assertEquals(false, storeConditionalAfter(() -> f.vm.guestMemory().writeU32BE(WORD + 0x40, 1)));
        assertEquals(5, f.vm.guestMemory().readU32BE(WORD));
    }

    @Test
    void aHostWriteOfTheSameValueLosesTheReservation() {
        assertEquals(false, storeConditionalAfter(() -> f.vm.guestMemory().writeU32BE(WORD, 5)));
        assertEquals(5, f.vm.guestMemory().readU32BE(WORD));
    }

    @Test
    void aHostWriteToTheNextGranuleLeavesTheReservation() {
        assertEquals(true, storeConditionalAfter(() -> f.vm.guestMemory().writeU32BE(WORD + 0x80, 1)));
        assertEquals(9, f.vm.guestMemory().readU32BE(WORD));
    }
}
