package jvisor.hw.power.cpu;

/**
 * The vector-scalar register file of one thread (ISA 3.0B Book I, 7.2): 64 vector-scalar registers
 * of 128 bits, of which the floating-point registers FPR0-31 are doubleword 0 (the high half) of
 * VSR0-31 and the vector registers VR0-31 are VSR32-63; the FPSCR and the VSCR. Registers are kept
 * as pairs of longs, doubleword 0 then doubleword 1, in the architecture's element order
 * (big-endian numbering: byte 0 is the most significant byte of doubleword 0), whatever the
 * byte order of the guest: loads and stores do the swapping.
 */
public final class VectorScalarRegisters {
    /** VSR i is {@code vsr[2i]} (doubleword 0) and {@code vsr[2i + 1]} (doubleword 1). */
    final long[] vsr = new long[128];
    /** The floating-point status and control register (the 32-bit one of 2.07 widened to 64 bits by 3.0). */
    long fpscr;
    /** The vector status and control register: NJ (bit 15 from the right: 0x10000) and SAT (0x1). */
    int vscr;
    /** Working state of the floating-point operation being executed (not architected state). */
    final jvisor.hw.power.cpu.fpu.FloatStatus status = new jvisor.hw.power.cpu.fpu.FloatStatus();

    /** Doubleword 0 of VSR {@code i} (FPR {@code i} for i < 32). */
    public long dw0(int i) {
        return vsr[2 * i];
    }

    /** Doubleword 1 of VSR {@code i}. */
    public long dw1(int i) {
        return vsr[2 * i + 1];
    }

    public void set(int i, long dw0, long dw1) {
        vsr[2 * i] = dw0;
        vsr[2 * i + 1] = dw1;
    }

    /** FPR {@code i}, the high doubleword of VSR {@code i}. */
    public long fpr(int i) {
        return vsr[2 * i];
    }

    /**
     * Writes FPR {@code i}. ISA 3.0B leaves doubleword 1 of the VSR undefined after a scalar
     * floating-point result; POWER9 and QEMU leave it as it was, and so does this.
     */
    public void setFpr(int i, long v) {
        vsr[2 * i] = v;
    }

    public long fpscr() {
        return fpscr;
    }

    public void setFpscr(long v) {
        fpscr = v;
    }

    public int vscr() {
        return vscr;
    }

    public void setVscr(int v) {
        vscr = v;
    }

    /** Copies every register from {@code other} (migration, tests). */
    public void copyFrom(VectorScalarRegisters other) {
        System.arraycopy(other.vsr, 0, vsr, 0, vsr.length);
        fpscr = other.fpscr;
        vscr = other.vscr;
    }
}
