package jvisor.hw.power.cpu;

import jvisor.hw.power.Msr;
/** A {@link TestMachine} with MSR[VEC] on, vector register access and the VMX instruction forms. */
final class VectorMachine {
    final TestMachine m = new TestMachine();

    VectorMachine() {
        m.msr(Msr.SF | Msr.ME | Msr.VEC);
    }

    VectorMachine littleEndian() {
        m.msr(Msr.SF | Msr.ME | Msr.VEC | Msr.LE);
        return this;
    }

    VectorMachine vr(int n, long hi, long lo) {
        m.core.vectorScalar().set(32 + n, hi, lo);
        return this;
    }

    /** VR n with its four words, word 0 the leftmost. */
    VectorMachine words(int n, int w0, int w1, int w2, int w3) {
        return vr(n, ((long) w0 << 32) | (w1 & 0xFFFF_FFFFL), ((long) w2 << 32) | (w3 & 0xFFFF_FFFFL));
    }

    long hi(int n) {
        return m.core.vectorScalar().dw0(32 + n);
    }

    long lo(int n) {
        return m.core.vectorScalar().dw1(32 + n);
    }

    int word(int n, int i) {
        long d = i < 2 ? hi(n) : lo(n);
        return (int) (i % 2 == 0 ? d >>> 32 : d);
    }

    float f(int n, int i) {
        return Float.intBitsToFloat(word(n, i));
    }

    VectorMachine floats(int n, float a, float b, float c, float d) {
        return words(n, Float.floatToRawIntBits(a), Float.floatToRawIntBits(b), Float.floatToRawIntBits(c),
                Float.floatToRawIntBits(d));
    }

    int vscr() {
        return m.core.vectorScalar().vscr();
    }

    VectorMachine vscr(int v) {
        m.core.vectorScalar().setVscr(v);
        return this;
    }

    VectorMachine exec(int... words) {
        m.exec(words);
        return this;
    }

    /** VX form: VRT, VRA (or UIM/SIM), VRB, 11-bit extended opcode. */
    static int vx(int xo, int t, int a, int b) {
        return (4 << 26) | (t << 21) | (a << 16) | (b << 11) | xo;
    }

    /** VA form: VRT, VRA, VRB, VRC, 6-bit extended opcode. */
    static int va(int xo, int t, int a, int b, int c) {
        return (4 << 26) | (t << 21) | (a << 16) | (b << 11) | (c << 6) | xo;
    }

    /** VC form (compares): Rc in bit 21. */
    static int vc(int xo, int t, int a, int b, boolean rc) {
        return (4 << 26) | (t << 21) | (a << 16) | (b << 11) | (rc ? 0x400 : 0) | xo;
    }

    /** X form of opcode 31 (the loads and stores). */
    static int x31(int xo, int t, int a, int b) {
        return (31 << 26) | (t << 21) | (a << 16) | (b << 11) | (xo << 1);
    }
}
