package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointUnit.completeVsx;
import static jvisor.hw.power.cpu.FloatingPointUnit.status;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xa;
import static jvisor.hw.power.cpu.VsxInstructions.xb;
import static jvisor.hw.power.cpu.VsxInstructions.xt;

import java.util.List;
import jvisor.hw.power.cpu.fpu.Binary64;
import jvisor.hw.power.cpu.fpu.FloatStatus;
import jvisor.hw.power.cpu.fpu.FloatingPointArithmetic;
import jvisor.hw.power.cpu.fpu.FloatingPointConversions;
import jvisor.hw.power.cpu.fpu.Fpscr;
import jvisor.hw.power.cpu.fpu.Precision;

/**
 * The VSX scalar double- and single-precision basics (ISA 3.0B Book I 7.6.1): arithmetic,
 * xscmpudp/xscmpodp, sign moves and the doubleword conversions; the fused forms are in
 * {@link VsxFused}, the other compares and max/min in {@link VsxCompare}, rounding and estimates
 * in {@link VsxRound}, data-class and exponent moves in {@link VsxClass}, the other conversions
 * in {@link VsxConvert}, quad precision in {@link VsxQuad}. They
 * run on the scalar floating-point unit's IEEE core (the same rounding, exceptions, NaN rules and
 * FPSCR updates as the FP instructions) on doubleword 0 of XA/XB; the result goes to doubleword
 * 0 of XT and doubleword 1 is cleared.
 */
final class VsxScalar {
    private VsxScalar() {
    }

    private static final Precision D = Precision.DOUBLE, S = Precision.SINGLE;

    @FunctionalInterface
    private interface Binary {
        long apply(long a, long b, Precision p, FloatStatus st);
    }

    static final List<InstructionSpec> SPECS = List.of(
            vsx("xsadddp", (c, w) -> binary(c, w, FloatingPointArithmetic::add, D)),
            vsx("xssubdp", (c, w) -> binary(c, w, FloatingPointArithmetic::subtract, D)),
            vsx("xsmuldp", (c, w) -> binary(c, w, FloatingPointArithmetic::multiply, D)),
            vsx("xsdivdp", (c, w) -> binary(c, w, FloatingPointArithmetic::divide, D)),
            vsx("xsaddsp", (c, w) -> binary(c, w, FloatingPointArithmetic::add, S)),
            vsx("xssubsp", (c, w) -> binary(c, w, FloatingPointArithmetic::subtract, S)),
            vsx("xsmulsp", (c, w) -> binary(c, w, FloatingPointArithmetic::multiply, S)),
            vsx("xsdivsp", (c, w) -> binary(c, w, FloatingPointArithmetic::divide, S)),
            vsx("xssqrtdp", (c, w) -> sqrt(c, w, D)),
            vsx("xssqrtsp", (c, w) -> sqrt(c, w, S)),
            vsx("xscmpudp", (c, w) -> FloatingPointOps.compareValues(c, (w >>> 23) & 7, c.vs.vsr[xa(w)], c.vs.vsr[xb(w)], false)),
            vsx("xscmpodp", (c, w) -> FloatingPointOps.compareValues(c, (w >>> 23) & 7, c.vs.vsr[xa(w)], c.vs.vsr[xb(w)], true)),
            vsx("xsabsdp", (c, w) -> move(c, w, c.vs.vsr[xb(w)] & ~Binary64.SIGN)),
            vsx("xsnabsdp", (c, w) -> move(c, w, c.vs.vsr[xb(w)] | Binary64.SIGN)),
            vsx("xsnegdp", (c, w) -> move(c, w, c.vs.vsr[xb(w)] ^ Binary64.SIGN)),
            vsx("xscpsgndp", (c, w) -> move(c, w, (c.vs.vsr[xa(w)] & Binary64.SIGN) | (c.vs.vsr[xb(w)] & ~Binary64.SIGN))),
            vsx("xscvspdpn", (c, w) -> move(c, w, FloatingPointConversions.singleToDouble((int) (c.vs.vsr[xb(w)] >>> 32)))),
            vsx("xscvdpspn", VsxScalar::xscvdpspn),
            vsx("xsrsp", VsxScalar::xsrsp),
            vsx("xscvdpsxds", (c, w) -> toInteger(c, w, 64, true)),
            vsx("xscvdpuxds", (c, w) -> toInteger(c, w, 64, false)),
            vsx("xscvsxddp", (c, w) -> fromInteger(c, w, true, D)),
            vsx("xscvuxddp", (c, w) -> fromInteger(c, w, false, D)),
            vsx("xscvsxdsp", (c, w) -> fromInteger(c, w, true, S)),
            vsx("xscvuxdsp", (c, w) -> fromInteger(c, w, false, S)));

    private static int binary(Core c, int w, Binary f, Precision p) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        return completeVsx(c, xt(w), f.apply(v[xa(w)], v[xb(w)], p, st), st, p);
    }

    private static int sqrt(Core c, int w, Precision p) {
        FloatStatus st = status(c);
        return completeVsx(c, xt(w), FloatingPointArithmetic.squareRoot(c.vs.vsr[xb(w)], p, st), st, p);
    }

    /** A sign or format move: no FPSCR change. */
    private static int move(Core c, int w, long v) {
        VsxInstructions.put(c, xt(w), v, 0);
        return Core.OK;
    }

    /**
     * xscvdpspn: the single-precision format of doubleword 0 of XB (as stfs forms it: no
     * rounding, no exception) in word 0 of XT. Words 1-3 are undefined; QEMU and this copy
     * word 0 into word 1 and clear doubleword 1.
     */
    static int xscvdpspn(Core c, int w) {
        long x = FloatingPointConversions.doubleToSingle(c.vs.vsr[xb(w)]) & 0xFFFF_FFFFL;
        VsxInstructions.put(c, xt(w), x << 32 | x, 0);
        return Core.OK;
    }

    static int xsrsp(Core c, int w) {
        FloatStatus st = status(c);
        return completeVsx(c, xt(w), FloatingPointConversions.roundToSingle(c.vs.vsr[xb(w)], st), st, S);
    }

    /** xscvdp[su]xds: truncating conversion to a doubleword integer; FPRF is left as it was. */
    private static int toInteger(Core c, int w, int bits, boolean signed) {
        FloatStatus st = status(c);
        long v = FloatingPointConversions.toInteger(c.vs.vsr[xb(w)], bits, signed, Fpscr.ROUND_TOWARD_ZERO, st);
        return completeVsx(c, xt(w), v, st, FloatingPointUnit.KEEP_FPRF);
    }

    private static int fromInteger(Core c, int w, boolean signed, Precision p) {
        FloatStatus st = status(c);
        return completeVsx(c, xt(w), FloatingPointConversions.fromInteger(c.vs.vsr[xb(w)], signed, p, st), st, p);
    }
}
