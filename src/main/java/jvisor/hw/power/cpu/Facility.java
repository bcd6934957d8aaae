package jvisor.hw.power.cpu;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Msr;

/**
 * The facility an instruction belongs to, and so the MSR bit that must be set for it to run: an
 * instruction of a facility that is off raises that facility's unavailable interrupt instead.
 */
public enum Facility {
    /** Always available (fixed point, branch, storage control ...). */
    NONE(0, 0),
    /** MSR[FP]; floating-point unavailable, 0x800. */
    FP(Msr.FP, InterruptVector.FLOATING_POINT_UNAVAILABLE),
    /** MSR[VEC]; vector unavailable, 0xF20. */
    VMX(Msr.VEC, InterruptVector.VECTOR_UNAVAILABLE),
    /** MSR[VSX]; VSX unavailable, 0xF40. */
    VSX(Msr.VSX, InterruptVector.VSX_UNAVAILABLE);

    /** The MSR bit that enables the facility (0: none needed). */
    public final long msrBit;
    /** The vector of its unavailable interrupt. */
    public final int unavailableVector;

    Facility(long msrBit, int unavailableVector) {
        this.msrBit = msrBit;
        this.unavailableVector = unavailableVector;
    }
}
