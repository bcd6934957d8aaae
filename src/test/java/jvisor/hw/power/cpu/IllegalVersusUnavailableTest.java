package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import org.junit.jupiter.api.Test;

/**
 * With MSR[FP], MSR[VEC] and MSR[VSX] off, a valid FP/VMX/VSX instruction raises its
 * facility-unavailable interrupt (0x800, 0xF20, 0xF40, SRR1 interrupt bits clear), while a word of
 * the same opcode space that POWER9 does not define raises the illegal-instruction program
 * interrupt (0x700, SRR1 bit 44) whatever the facilities.
 */
class IllegalVersusUnavailableTest {
    private static final long FACILITIES = Msr.FP | Msr.VEC | Msr.VSX;

    private static TestMachine run(int word, long extraMsr) {
        return new TestMachine().msr(Msr.SF | Msr.ME | extraMsr).exec(word);
    }

    private static void assertInterrupt(int word, long extraMsr, int vector, long srr1Bits) {
        TestMachine t = run(word, extraMsr);
        String what = Integer.toHexString(word);
        assertEquals(vector, t.core.pc(), what);
        assertEquals(TestMachine.CODE, t.core.srr0(), what);
        assertEquals(srr1Bits, t.core.srr1() & 0x783F_0000L, what);
    }

    @Test
    void validEncodingsRaiseTheirFacilityInterrupt() {
        assertInterrupt(0xfc00002a, 0, 0x800, 0);        // fadd
        assertInterrupt(0xc0000000, 0, 0x800, 0);        // lfs
        assertInterrupt(0x7c000066, 0, 0x800, 0);        // mfvsrd with SX=0: MSR[FP]
        assertInterrupt(0x10000000, 0, 0xF20, 0);        // vaddubm
        assertInterrupt(0x7c000067, 0, 0xF20, 0);        // mfvsrd with SX=1: MSR[VEC]
        assertInterrupt(0xe4000002, 0, 0xF20, 0);        // lxsd
        assertInterrupt(0xf0000100, 0, 0xF40, 0);        // xsadddp
        assertInterrupt(0x7c000218, 0, 0xF40, 0);        // lxvx vs0
    }

    @Test
    void onlyTheNamedFacilityCounts() {
        assertInterrupt(0xf0000100, Msr.FP | Msr.VEC, 0xF40, 0); // xsadddp with FP and VEC on
        assertInterrupt(0x10000000, Msr.FP | Msr.VSX, 0xF20, 0); // vaddubm with FP and VSX on
        assertInterrupt(0xfc00002a, Msr.VEC | Msr.VSX, 0x800, 0); // fadd with VEC and VSX on
    }

    @Test
    void undefinedWordsOfTheSameSpacesAreIllegalWithFacilitiesOffAndOn() {
        int[] words = {0x1000000b, 0xec000000, 0xfc000002, 0xf00002d8, 0x7c000258, 0xe4000001, 0x04000000,
                0x14000000, 0x18000000, 0x58000000};
        for (int w : words) {
            assertInterrupt(w, 0, 0x700, Srr1.ILLEGAL);
            assertInterrupt(w, FACILITIES, 0x700, Srr1.ILLEGAL);
        }
    }

    @Test
    void aValidEncodingWithItsFacilityOnStopsCleanlyUntilImplemented() {
        TestMachine t = new TestMachine().msr(Msr.SF | Msr.ME | FACILITIES);
        // dadd: decimal floating point, valid on POWER9 and not implemented.
        assertEquals(Exit.ERROR, t.runAt(TestMachine.CODE, 1, 0xec000004));
        assertEquals(TestMachine.CODE, t.core.pc());
    }
}
