package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorInstructions.binary;
import static jvisor.hw.power.cpu.VectorInstructions.clampSigned;
import static jvisor.hw.power.cpu.VectorInstructions.clampUnsigned;
import static jvisor.hw.power.cpu.VectorInstructions.elem;
import static jvisor.hw.power.cpu.VectorInstructions.put;
import static jvisor.hw.power.cpu.VectorInstructions.saturating;
import static jvisor.hw.power.cpu.VectorInstructions.setSat;
import static jvisor.hw.power.cpu.VectorInstructions.spec;
import static jvisor.hw.power.cpu.VectorInstructions.sx;
import static jvisor.hw.power.cpu.VectorInstructions.unary;
import static jvisor.hw.power.cpu.VectorInstructions.va;
import static jvisor.hw.power.cpu.VectorInstructions.vb;
import static jvisor.hw.power.cpu.VectorInstructions.vc;
import static jvisor.hw.power.cpu.VectorInstructions.with;

import java.util.List;

/**
 * Vector integer arithmetic (ISA 3.0B Book I 6.9.1): modulo, saturating (VSCR[SAT]) and
 * carrying add and subtract up to the quadword, multiplies (even/odd, modulo word), the
 * multiply-sums and multiply-adds, sum-across, average, maximum/minimum, absolute difference,
 * negate and sign extension.
 */
final class VectorIntegerArithmetic {
    private VectorIntegerArithmetic() {
    }

    private static InstructionSpec vx(String m, int xo, InstructionSpec.Body b) {
        return spec(m, Encoding.vx(4, xo), b);
    }

    private static InstructionSpec va4(String m, int xo, InstructionSpec.Body b) {
        return spec(m, Encoding.va(4, xo), b);
    }

    /** The VX-form xo 1538 group, its sub-opcode in the VRA field. */
    private static InstructionSpec vx1538(String m, int sub, InstructionSpec.Body b) {
        return spec(m, Encoding.vx(4, 1538).bits(11, 15, sub), b);
    }

    static final List<InstructionSpec> SPECS = List.of(
            vx("vaddubm", 0, (c, w) -> binary(c, w, 8, Long::sum)),
            vx("vadduhm", 64, (c, w) -> binary(c, w, 16, Long::sum)),
            vx("vadduwm", 128, (c, w) -> binary(c, w, 32, Long::sum)),
            vx("vaddudm", 192, (c, w) -> binary(c, w, 64, Long::sum)),
            vx("vadduqm", 256, (c, w) -> quad(c, w, false, false, false)),
            vx("vaddcuq", 320, (c, w) -> quad(c, w, false, false, true)),
            vx("vaddcuw", 384, (c, w) -> binary(c, w, 32, (a, b) -> (a + b) >>> 32)),
            vx("vaddubs", 512, (c, w) -> saturating(c, w, 8, false, Long::sum)),
            vx("vadduhs", 576, (c, w) -> saturating(c, w, 16, false, Long::sum)),
            vx("vadduws", 640, (c, w) -> saturating(c, w, 32, false, Long::sum)),
            vx("vaddsbs", 768, (c, w) -> saturating(c, w, 8, true, (a, b) -> sx(a, 8) + sx(b, 8))),
            vx("vaddshs", 832, (c, w) -> saturating(c, w, 16, true, (a, b) -> sx(a, 16) + sx(b, 16))),
            vx("vaddsws", 896, (c, w) -> saturating(c, w, 32, true, (a, b) -> sx(a, 32) + sx(b, 32))),
            vx("vsububm", 1024, (c, w) -> binary(c, w, 8, (a, b) -> a - b)),
            vx("vsubuhm", 1088, (c, w) -> binary(c, w, 16, (a, b) -> a - b)),
            vx("vsubuwm", 1152, (c, w) -> binary(c, w, 32, (a, b) -> a - b)),
            vx("vsubudm", 1216, (c, w) -> binary(c, w, 64, (a, b) -> a - b)),
            vx("vsubuqm", 1280, (c, w) -> quad(c, w, true, false, false)),
            vx("vsubcuq", 1344, (c, w) -> quad(c, w, true, false, true)),
            vx("vsubcuw", 1408, (c, w) -> binary(c, w, 32, (a, b) -> a >= b ? 1 : 0)),
            vx("vsububs", 1536, (c, w) -> saturating(c, w, 8, false, (a, b) -> a - b)),
            vx("vsubuhs", 1600, (c, w) -> saturating(c, w, 16, false, (a, b) -> a - b)),
            vx("vsubuws", 1664, (c, w) -> saturating(c, w, 32, false, (a, b) -> a - b)),
            vx("vsubsbs", 1792, (c, w) -> saturating(c, w, 8, true, (a, b) -> sx(a, 8) - sx(b, 8))),
            vx("vsubshs", 1856, (c, w) -> saturating(c, w, 16, true, (a, b) -> sx(a, 16) - sx(b, 16))),
            vx("vsubsws", 1920, (c, w) -> saturating(c, w, 32, true, (a, b) -> sx(a, 32) - sx(b, 32))),
            va4("vaddeuqm", 60, (c, w) -> quad(c, w, false, true, false)),
            va4("vaddecuq", 61, (c, w) -> quad(c, w, false, true, true)),
            va4("vsubeuqm", 62, (c, w) -> quad(c, w, true, true, false)),
            va4("vsubecuq", 63, (c, w) -> quad(c, w, true, true, true)),

            vx("vmuloub", 8, (c, w) -> evenOdd(c, w, 8, false, 1)),
            vx("vmulouh", 72, (c, w) -> evenOdd(c, w, 16, false, 1)),
            vx("vmulouw", 136, (c, w) -> evenOdd(c, w, 32, false, 1)),
            vx("vmuluwm", 137, (c, w) -> binary(c, w, 32, (a, b) -> a * b)),
            vx("vmulosb", 264, (c, w) -> evenOdd(c, w, 8, true, 1)),
            vx("vmulosh", 328, (c, w) -> evenOdd(c, w, 16, true, 1)),
            vx("vmulosw", 392, (c, w) -> evenOdd(c, w, 32, true, 1)),
            vx("vmuleub", 520, (c, w) -> evenOdd(c, w, 8, false, 0)),
            vx("vmuleuh", 584, (c, w) -> evenOdd(c, w, 16, false, 0)),
            vx("vmuleuw", 648, (c, w) -> evenOdd(c, w, 32, false, 0)),
            vx("vmulesb", 776, (c, w) -> evenOdd(c, w, 8, true, 0)),
            vx("vmulesh", 840, (c, w) -> evenOdd(c, w, 16, true, 0)),
            vx("vmulesw", 904, (c, w) -> evenOdd(c, w, 32, true, 0)),
            va4("vmhaddshs", 32, (c, w) -> multiplyHighAdd(c, w, 0)),
            va4("vmhraddshs", 33, (c, w) -> multiplyHighAdd(c, w, 0x4000)),
            va4("vmladduhm", 34, (c, w) -> VectorInstructions.ternary(c, w, 16, (a, b, x) -> a * b + x)),
            va4("vmsumudm", 35, VectorIntegerArithmetic::vmsumudm),
            va4("vmsumubm", 36, (c, w) -> multiplySum(c, w, 8, false, false, false)),
            va4("vmsummbm", 37, (c, w) -> multiplySum(c, w, 8, true, false, false)),
            va4("vmsumuhm", 38, (c, w) -> multiplySum(c, w, 16, false, false, false)),
            va4("vmsumuhs", 39, (c, w) -> multiplySum(c, w, 16, false, false, true)),
            va4("vmsumshm", 40, (c, w) -> multiplySum(c, w, 16, true, true, false)),
            va4("vmsumshs", 41, (c, w) -> multiplySum(c, w, 16, true, true, true)),

            vx("vsum4ubs", 1544, (c, w) -> sum4(c, w, 8, false)),
            vx("vsum4sbs", 1800, (c, w) -> sum4(c, w, 8, true)),
            vx("vsum4shs", 1608, (c, w) -> sum4(c, w, 16, true)),
            vx("vsum2sws", 1672, VectorIntegerArithmetic::vsum2sws),
            vx("vsumsws", 1928, VectorIntegerArithmetic::vsumsws),

            vx("vavgub", 1026, (c, w) -> binary(c, w, 8, (a, b) -> (a + b + 1) >> 1)),
            vx("vavguh", 1090, (c, w) -> binary(c, w, 16, (a, b) -> (a + b + 1) >> 1)),
            vx("vavguw", 1154, (c, w) -> binary(c, w, 32, (a, b) -> (a + b + 1) >> 1)),
            vx("vavgsb", 1282, (c, w) -> binary(c, w, 8, (a, b) -> (sx(a, 8) + sx(b, 8) + 1) >> 1)),
            vx("vavgsh", 1346, (c, w) -> binary(c, w, 16, (a, b) -> (sx(a, 16) + sx(b, 16) + 1) >> 1)),
            vx("vavgsw", 1410, (c, w) -> binary(c, w, 32, (a, b) -> (sx(a, 32) + sx(b, 32) + 1) >> 1)),
            vx("vmaxub", 2, (c, w) -> binary(c, w, 8, Math::max)),
            vx("vmaxuh", 66, (c, w) -> binary(c, w, 16, Math::max)),
            vx("vmaxuw", 130, (c, w) -> binary(c, w, 32, Math::max)),
            vx("vmaxud", 194, (c, w) -> binary(c, w, 64, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b)),
            vx("vmaxsb", 258, (c, w) -> binary(c, w, 8, (a, b) -> Math.max(sx(a, 8), sx(b, 8)))),
            vx("vmaxsh", 322, (c, w) -> binary(c, w, 16, (a, b) -> Math.max(sx(a, 16), sx(b, 16)))),
            vx("vmaxsw", 386, (c, w) -> binary(c, w, 32, (a, b) -> Math.max(sx(a, 32), sx(b, 32)))),
            vx("vmaxsd", 450, (c, w) -> binary(c, w, 64, Math::max)),
            vx("vminub", 514, (c, w) -> binary(c, w, 8, Math::min)),
            vx("vminuh", 578, (c, w) -> binary(c, w, 16, Math::min)),
            vx("vminuw", 642, (c, w) -> binary(c, w, 32, Math::min)),
            vx("vminud", 706, (c, w) -> binary(c, w, 64, (a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b)),
            vx("vminsb", 770, (c, w) -> binary(c, w, 8, (a, b) -> Math.min(sx(a, 8), sx(b, 8)))),
            vx("vminsh", 834, (c, w) -> binary(c, w, 16, (a, b) -> Math.min(sx(a, 16), sx(b, 16)))),
            vx("vminsw", 898, (c, w) -> binary(c, w, 32, (a, b) -> Math.min(sx(a, 32), sx(b, 32)))),
            vx("vminsd", 962, (c, w) -> binary(c, w, 64, Math::min)),
            vx("vabsdub", 1027, (c, w) -> binary(c, w, 8, (a, b) -> Math.abs(a - b))),
            vx("vabsduh", 1091, (c, w) -> binary(c, w, 16, (a, b) -> Math.abs(a - b))),
            vx("vabsduw", 1155, (c, w) -> binary(c, w, 32, (a, b) -> Math.abs(a - b))),
            vx1538("vnegw", 6, (c, w) -> unary(c, w, 32, (b, z) -> -b)),
            vx1538("vnegd", 7, (c, w) -> unary(c, w, 64, (b, z) -> -b)),
            vx1538("vextsb2w", 16, (c, w) -> unary(c, w, 32, (b, z) -> sx(b, 8))),
            vx1538("vextsh2w", 17, (c, w) -> unary(c, w, 32, (b, z) -> sx(b, 16))),
            vx1538("vextsb2d", 24, (c, w) -> unary(c, w, 64, (b, z) -> sx(b, 8))),
            vx1538("vextsh2d", 25, (c, w) -> unary(c, w, 64, (b, z) -> sx(b, 16))),
            vx1538("vextsw2d", 26, (c, w) -> unary(c, w, 64, (b, z) -> sx(b, 32))));

    /**
     * The quadword add and subtract family: VRA + VRB (or + ~VRB + 1 for subtract; the extended
     * forms take the carry in from bit 127 of VRC instead of 0 or 1); the sum, or with
     * {@code carryOut} the carry out of bit 0 as the quadword 0 or 1.
     */
    private static int quad(Core c, int w, boolean subtract, boolean extended, boolean carryOut) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        long cin = extended ? v[vc(w) + 1] & 1 : subtract ? 1 : 0;
        if (subtract) {
            bh = ~bh;
            bl = ~bl;
        }
        long lo = al + bl + cin;
        long carryLo = Long.compareUnsigned(lo, al) < 0 || (cin != 0 && lo == al) ? 1 : 0;
        long hi = ah + bh + carryLo;
        boolean carry = Long.compareUnsigned(hi, ah) < 0 || (carryLo != 0 && hi == ah);
        if (carryOut) put(c, w, 0, carry ? 1 : 0);
        else put(c, w, hi, lo);
        return Core.OK;
    }

    /** vmule* (elements 0, 2, ...) and vmulo* (1, 3, ...): the products, double width. */
    private static int evenOdd(Core c, int w, int bits, boolean signed, int odd) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        long hi = 0, lo = 0;
        int n = 64 / bits;
        for (int i = 0; i < n; i++) {
            long x = elem(ah, al, bits, 2 * i + odd), y = elem(bh, bl, bits, 2 * i + odd);
            long p = signed ? sx(x, bits) * sx(y, bits) : x * y;
            if (i < n / 2) hi = with(hi, 2 * bits, i, p);
            else lo = with(lo, 2 * bits, i, p);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vmhaddshs/vmhraddshs: saturate(VRC + ((VRA * VRB + round) >> 15)) per signed halfword. */
    private static int multiplyHighAdd(Core c, int w, int round) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w), cc = vc(w);
        long hi = 0, lo = 0;
        boolean sat = false;
        for (int i = 0; i < 8; i++) {
            long p = sx(elem(v[a], v[a + 1], 16, i), 16) * sx(elem(v[b], v[b + 1], 16, i), 16) + round;
            long x = sx(elem(v[cc], v[cc + 1], 16, i), 16) + (p >> 15);
            long r = clampSigned(x, 16);
            sat |= r != x;
            if (i < 4) hi = with(hi, 16, i, r);
            else lo = with(lo, 16, i, r);
        }
        put(c, w, hi, lo);
        if (sat) setSat(c);
        return Core.OK;
    }

    /**
     * The multiply-sums: word i = VRC.word[i] + the products of the elements of VRA and VRB in
     * that word (4 bytes or 2 halfwords); VRA signed when {@code signedA}, VRB and VRC when
     * {@code signedB}; modulo 2^32 or saturated.
     */
    private static int multiplySum(Core c, int w, int bits, boolean signedA, boolean signedB, boolean saturate) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w), cc = vc(w);
        int per = 32 / bits;
        long hi = 0, lo = 0;
        boolean sat = false;
        for (int i = 0; i < 4; i++) {
            long cw = elem(v[cc], v[cc + 1], 32, i);
            long sum = signedB ? sx(cw, 32) : cw;
            for (int j = 0; j < per; j++) {
                long x = elem(v[a], v[a + 1], bits, per * i + j), y = elem(v[b], v[b + 1], bits, per * i + j);
                sum += (signedA ? sx(x, bits) : x) * (signedB ? sx(y, bits) : y);
            }
            long r = sum;
            if (saturate) {
                r = signedB ? clampSigned(sum, 32) : clampUnsigned(sum, 32);
                sat |= r != sum;
            }
            if (i < 2) hi = with(hi, 32, i, r);
            else lo = with(lo, 32, i, r);
        }
        put(c, w, hi, lo);
        if (sat) setSat(c);
        return Core.OK;
    }

    /** vmsumudm: VRA.dw[0] * VRB.dw[0] + VRA.dw[1] * VRB.dw[1] + VRC, modulo 2^128. */
    private static int vmsumudm(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w), cc = vc(w);
        long p0h = Math.unsignedMultiplyHigh(v[a], v[b]), p0l = v[a] * v[b];
        long p1h = Math.unsignedMultiplyHigh(v[a + 1], v[b + 1]), p1l = v[a + 1] * v[b + 1];
        long lo = p0l + p1l;
        long hi = p0h + p1h + (Long.compareUnsigned(lo, p0l) < 0 ? 1 : 0);
        long lo2 = lo + v[cc + 1];
        hi += v[cc] + (Long.compareUnsigned(lo2, lo) < 0 ? 1 : 0);
        put(c, w, hi, lo2);
        return Core.OK;
    }

    /** vsum4ubs/vsum4sbs/vsum4shs: word i = saturate(VRB.word[i] + the elements of VRA in word i). */
    private static int sum4(Core c, int w, int bits, boolean signed) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        int per = 32 / bits;
        long hi = 0, lo = 0;
        boolean sat = false;
        for (int i = 0; i < 4; i++) {
            long bw = elem(v[b], v[b + 1], 32, i);
            long sum = signed ? sx(bw, 32) : bw;
            for (int j = 0; j < per; j++) {
                long x = elem(v[a], v[a + 1], bits, per * i + j);
                sum += signed ? sx(x, bits) : x;
            }
            long r = signed ? clampSigned(sum, 32) : clampUnsigned(sum, 32);
            sat |= r != sum;
            if (i < 2) hi = with(hi, 32, i, r);
            else lo = with(lo, 32, i, r);
        }
        put(c, w, hi, lo);
        if (sat) setSat(c);
        return Core.OK;
    }

    /** vsum2sws: words 1 and 3 = saturate(VRB.word[2k+1] + VRA.word[2k] + VRA.word[2k+1]); words 0 and 2 zero. */
    private static int vsum2sws(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long[] out = new long[2];
        boolean sat = false;
        for (int k = 0; k < 2; k++) {
            long sum = (int) v[b + k] + (long) (int) (v[a + k] >>> 32) + (int) v[a + k];
            long r = clampSigned(sum, 32);
            sat |= r != sum;
            out[k] = r & 0xFFFF_FFFFL;
        }
        put(c, w, out[0], out[1]);
        if (sat) setSat(c);
        return Core.OK;
    }

    /** vsumsws: word 3 = saturate(VRB.word[3] + the four words of VRA); words 0-2 zero. */
    private static int vsumsws(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long sum = (int) v[b + 1];
        for (int i = 0; i < 4; i++) sum += sx(elem(v[a], v[a + 1], 32, i), 32);
        long r = clampSigned(sum, 32);
        put(c, w, 0, r & 0xFFFF_FFFFL);
        if (r != sum) setSat(c);
        return Core.OK;
    }
}
