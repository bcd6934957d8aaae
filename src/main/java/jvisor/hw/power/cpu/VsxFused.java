package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointUnit.completeVsx;
import static jvisor.hw.power.cpu.FloatingPointUnit.status;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xt;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.power.cpu.fpu.FloatStatus;
import jvisor.hw.power.cpu.fpu.FloatingPointArithmetic;
import jvisor.hw.power.cpu.fpu.Precision;

/**
 * The VSX fused multiply-add family (ISA 3.0B 7.6.1): xs/xv, madd/msub/nmadd/nmsub, the A and M
 * types, double and single precision - 32 forms, each rounded once. The A type multiplies XA by
 * XB and adds XT; the M type multiplies XA by XT and adds XB. As for fmadd, the NaN chosen is the
 * first of multiplicand 1 (XA), the addend, multiplicand 2; msub negates the addend and the
 * nmadd/nmsub forms the result (never a NaN).
 */
final class VsxFused {
    private VsxFused() {
    }

    /** Indexes into {XA, XB, XT}: multiplicand 1, multiplicand 2, addend. */
    private static final int[] A_TYPE = {0, 1, 2}, M_TYPE = {0, 2, 1};

    static final List<InstructionSpec> SPECS = all();

    private static List<InstructionSpec> all() {
        List<InstructionSpec> l = new ArrayList<>();
        for (String op : new String[] {"madd", "msub", "nmadd", "nmsub"}) {
            boolean negateAddend = op.endsWith("sub"), negateResult = op.startsWith("n");
            VsxLanes.Ternary f = (a, c, b, p, st) ->
                    FloatingPointArithmetic.multiplyAdd(a, c, b, negateAddend, negateResult, p, st);
            for (int[] type : new int[][] {A_TYPE, M_TYPE}) {
                String t = type == A_TYPE ? "a" : "m";
                l.add(vsx("xs" + op + t + "dp", (c, w) -> scalar(c, w, type, f, Precision.DOUBLE)));
                l.add(vsx("xs" + op + t + "sp", (c, w) -> scalar(c, w, type, f, Precision.SINGLE)));
                l.add(vsx("xv" + op + t + "dp", (c, w) -> VsxLanes.doubles(c, w, type, f)));
                l.add(vsx("xv" + op + t + "sp", (c, w) -> VsxLanes.singles(c, w, type, f)));
            }
        }
        return List.copyOf(l);
    }

    private static int scalar(Core c, int w, int[] type, VsxLanes.Ternary f, Precision p) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        long r = f.apply(v[VsxLanes.source(w, type[0])], v[VsxLanes.source(w, type[1])], v[VsxLanes.source(w, type[2])], p, st);
        return completeVsx(c, xt(w), r, st, p);
    }
}
