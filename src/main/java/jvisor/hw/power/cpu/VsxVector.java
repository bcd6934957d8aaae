package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VsxInstructions.put;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xa;
import static jvisor.hw.power.cpu.VsxInstructions.xb;
import static jvisor.hw.power.cpu.VsxInstructions.xt;

import java.util.List;
import jvisor.hw.power.cpu.fpu.FloatingPointArithmetic;

/**
 * VSX vector double- and single-precision arithmetic (ISA 3.0B 7.6.1): add, subtract, multiply,
 * divide and square root element by element on the scalar unit's IEEE core
 * ({@link VsxLanes}), and the sign moves, which change no FPSCR bit.
 */
final class VsxVector {
    private VsxVector() {
    }

    private static final long SIGN_D = 1L << 63, SIGN_S = 0x8000_0000_8000_0000L;

    static final List<InstructionSpec> SPECS = List.of(
            vsx("xvadddp", (c, w) -> VsxLanes.doubles(c, w, FloatingPointArithmetic::add)),
            vsx("xvsubdp", (c, w) -> VsxLanes.doubles(c, w, FloatingPointArithmetic::subtract)),
            vsx("xvmuldp", (c, w) -> VsxLanes.doubles(c, w, FloatingPointArithmetic::multiply)),
            vsx("xvdivdp", (c, w) -> VsxLanes.doubles(c, w, FloatingPointArithmetic::divide)),
            vsx("xvsqrtdp", (c, w) -> VsxLanes.doubles(c, w, FloatingPointArithmetic::squareRoot)),
            vsx("xvaddsp", (c, w) -> VsxLanes.singles(c, w, FloatingPointArithmetic::add)),
            vsx("xvsubsp", (c, w) -> VsxLanes.singles(c, w, FloatingPointArithmetic::subtract)),
            vsx("xvmulsp", (c, w) -> VsxLanes.singles(c, w, FloatingPointArithmetic::multiply)),
            vsx("xvdivsp", (c, w) -> VsxLanes.singles(c, w, FloatingPointArithmetic::divide)),
            vsx("xvsqrtsp", (c, w) -> VsxLanes.singles(c, w, FloatingPointArithmetic::squareRoot)),
            vsx("xvabsdp", (c, w) -> sign(c, w, 0, ~SIGN_D, 0)),
            vsx("xvnabsdp", (c, w) -> sign(c, w, 0, -1, SIGN_D)),
            vsx("xvnegdp", (c, w) -> sign(c, w, SIGN_D, -1, 0)),
            vsx("xvabssp", (c, w) -> sign(c, w, 0, ~SIGN_S, 0)),
            vsx("xvnabssp", (c, w) -> sign(c, w, 0, -1, SIGN_S)),
            vsx("xvnegsp", (c, w) -> sign(c, w, SIGN_S, -1, 0)),
            vsx("xvcpsgndp", (c, w) -> copySign(c, w, SIGN_D)),
            vsx("xvcpsgnsp", (c, w) -> copySign(c, w, SIGN_S)));

    /** Each doubleword of XB XORed with {@code flip}, ANDed with {@code keep}, ORed with {@code set}. */
    private static int sign(Core c, int w, long flip, long keep, long set) {
        long[] v = c.vs.vsr;
        int b = xb(w);
        put(c, xt(w), ((v[b] ^ flip) & keep) | set, ((v[b + 1] ^ flip) & keep) | set);
        return Core.OK;
    }

    /** The sign bits of XA's elements with the rest of XB's. */
    private static int copySign(Core c, int w, long signs) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        put(c, xt(w), (v[a] & signs) | (v[b] & ~signs), (v[a + 1] & signs) | (v[b + 1] & ~signs));
        return Core.OK;
    }
}
