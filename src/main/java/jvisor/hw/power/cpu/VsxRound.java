package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointUnit.completeVsx;
import static jvisor.hw.power.cpu.FloatingPointUnit.status;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xb;
import static jvisor.hw.power.cpu.VsxInstructions.xt;

import java.util.List;
import jvisor.hw.power.cpu.fpu.FloatStatus;
import jvisor.hw.power.cpu.fpu.FloatingPointArithmetic;
import jvisor.hw.power.cpu.fpu.FloatingPointConversions;
import jvisor.hw.power.cpu.fpu.Fpscr;
import jvisor.hw.power.cpu.fpu.Precision;

/**
 * VSX rounding to an integral value and the estimates (ISA 3.0B 7.6.1): xsrdpi[c,m,p,z],
 * xvrdpi*, xvrspi* (the "i" form rounds to nearest with ties away from zero, "c" in FPSCR[RN],
 * and only "c" reports an inexact result), and xsredp, xsresp, xsrsqrtedp, xsrsqrtesp and their
 * vector forms, computed as fre/frsqrte are.
 */
final class VsxRound {
    private VsxRound() {
    }

    private static final int CURRENT = -1;
    private static final Precision D = Precision.DOUBLE, S = Precision.SINGLE;

    private static final VsxLanes.Unary RSQRTE = FloatingPointArithmetic::reciprocalSquareRootEstimate;

    static final List<InstructionSpec> SPECS = List.of(
            vsx("xsrdpi", (c, w) -> scalar(c, w, FloatingPointConversions.ROUND_NEAREST_AWAY)),
            vsx("xsrdpic", (c, w) -> scalar(c, w, CURRENT)),
            vsx("xsrdpim", (c, w) -> scalar(c, w, Fpscr.ROUND_DOWN)),
            vsx("xsrdpip", (c, w) -> scalar(c, w, Fpscr.ROUND_UP)),
            vsx("xsrdpiz", (c, w) -> scalar(c, w, Fpscr.ROUND_TOWARD_ZERO)),
            vsx("xvrdpi", (c, w) -> VsxLanes.doubles(c, w, integral(FloatingPointConversions.ROUND_NEAREST_AWAY))),
            vsx("xvrdpic", (c, w) -> VsxLanes.doubles(c, w, integral(CURRENT))),
            vsx("xvrdpim", (c, w) -> VsxLanes.doubles(c, w, integral(Fpscr.ROUND_DOWN))),
            vsx("xvrdpip", (c, w) -> VsxLanes.doubles(c, w, integral(Fpscr.ROUND_UP))),
            vsx("xvrdpiz", (c, w) -> VsxLanes.doubles(c, w, integral(Fpscr.ROUND_TOWARD_ZERO))),
            vsx("xvrspi", (c, w) -> VsxLanes.singles(c, w, integral(FloatingPointConversions.ROUND_NEAREST_AWAY))),
            vsx("xvrspic", (c, w) -> VsxLanes.singles(c, w, integral(CURRENT))),
            vsx("xvrspim", (c, w) -> VsxLanes.singles(c, w, integral(Fpscr.ROUND_DOWN))),
            vsx("xvrspip", (c, w) -> VsxLanes.singles(c, w, integral(Fpscr.ROUND_UP))),
            vsx("xvrspiz", (c, w) -> VsxLanes.singles(c, w, integral(Fpscr.ROUND_TOWARD_ZERO))),
            vsx("xsredp", (c, w) -> estimate(c, w, FloatingPointArithmetic::reciprocalEstimate, D)),
            vsx("xsresp", (c, w) -> estimate(c, w, FloatingPointArithmetic::reciprocalEstimate, S)),
            vsx("xsrsqrtedp", (c, w) -> estimate(c, w, RSQRTE, D)),
            vsx("xsrsqrtesp", (c, w) -> estimate(c, w, RSQRTE, S)),
            vsx("xvredp", (c, w) -> VsxLanes.doubles(c, w, FloatingPointArithmetic::reciprocalEstimate)),
            vsx("xvresp", (c, w) -> VsxLanes.singles(c, w, FloatingPointArithmetic::reciprocalEstimate)),
            vsx("xvrsqrtedp", (c, w) -> VsxLanes.doubles(c, w, RSQRTE)),
            vsx("xvrsqrtesp", (c, w) -> VsxLanes.singles(c, w, (b, p, st) ->
                    FloatingPointArithmetic.reciprocalSquareRootEstimate(b, p, p, st))));

    private static VsxLanes.Unary integral(int mode) {
        return (b, p, st) -> FloatingPointConversions.roundToIntegral(b, mode == CURRENT ? st.roundingMode : mode,
                mode == CURRENT, st);
    }

    /** The scalar forms set FPRF (and FR, FI: cleared, or for xsrdpic as the rounding gave them). */
    private static int scalar(Core c, int w, int mode) {
        FloatStatus st = status(c);
        long r = integral(mode).apply(c.vs.vsr[xb(w)], D, st);
        return completeVsx(c, xt(w), r, st, D);
    }

    private static int estimate(Core c, int w, VsxLanes.Unary f, Precision p) {
        FloatStatus st = status(c);
        return completeVsx(c, xt(w), f.apply(c.vs.vsr[xb(w)], p, st), st, p);
    }
}
