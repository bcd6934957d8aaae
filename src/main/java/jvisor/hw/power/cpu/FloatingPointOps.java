package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointUnit.KEEP_FPRF;
import static jvisor.hw.power.cpu.FloatingPointUnit.bf;
import static jvisor.hw.power.cpu.FloatingPointUnit.complete;
import static jvisor.hw.power.cpu.FloatingPointUnit.fpr;
import static jvisor.hw.power.cpu.FloatingPointUnit.fra;
import static jvisor.hw.power.cpu.FloatingPointUnit.frb;
import static jvisor.hw.power.cpu.FloatingPointUnit.frc;
import static jvisor.hw.power.cpu.FloatingPointUnit.frt;
import static jvisor.hw.power.cpu.FloatingPointUnit.record;
import static jvisor.hw.power.cpu.FloatingPointUnit.status;

import jvisor.hw.power.cpu.fpu.Binary64;
import jvisor.hw.power.cpu.fpu.FloatStatus;
import jvisor.hw.power.cpu.fpu.FloatingPointArithmetic;
import jvisor.hw.power.cpu.fpu.FloatingPointCompare;
import jvisor.hw.power.cpu.fpu.FloatingPointConversions;
import jvisor.hw.power.cpu.fpu.Fpscr;
import jvisor.hw.power.cpu.fpu.Precision;

/**
 * Bodies of the scalar floating-point instructions (ISA 3.0B Book I 4.6.4 - 4.6.8): moves,
 * arithmetic, fused multiply-add, rounding and conversion, compares and tests, fsel. The
 * arithmetic itself is {@link jvisor.hw.power.cpu.fpu}'s; these read the FPRs, run it in the
 * FPSCR's mode and end through {@link FloatingPointUnit#complete}.
 */
final class FloatingPointOps {
    private FloatingPointOps() {
    }

    private static final Precision D = Precision.DOUBLE, S = Precision.SINGLE;

    // ---- moves (no FPSCR change) ----

    private static int move(Core c, int w, long v) {
        c.vs.vsr[2 * frt(w)] = v;
        return record(c, w);
    }

    static int fmr(Core c, int w) {
        return move(c, w, fpr(c, frb(w)));
    }

    static int fneg(Core c, int w) {
        return move(c, w, fpr(c, frb(w)) ^ Binary64.SIGN);
    }

    static int fabs(Core c, int w) {
        return move(c, w, fpr(c, frb(w)) & ~Binary64.SIGN);
    }

    static int fnabs(Core c, int w) {
        return move(c, w, fpr(c, frb(w)) | Binary64.SIGN);
    }

    static int fcpsgn(Core c, int w) {
        return move(c, w, (fpr(c, fra(w)) & Binary64.SIGN) | (fpr(c, frb(w)) & ~Binary64.SIGN));
    }

    /** fmrgew: the high words of FRA and FRB. */
    static int fmrgew(Core c, int w) {
        c.vs.vsr[2 * frt(w)] = (fpr(c, fra(w)) & 0xFFFF_FFFF_0000_0000L) | (fpr(c, frb(w)) >>> 32);
        return Core.OK;
    }

    /** fmrgow: the low words of FRA and FRB. */
    static int fmrgow(Core c, int w) {
        c.vs.vsr[2 * frt(w)] = (fpr(c, fra(w)) << 32) | (fpr(c, frb(w)) & 0xFFFF_FFFFL);
        return Core.OK;
    }

    // ---- arithmetic ----

    private static int add(Core c, int w, Precision p) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointArithmetic.add(fpr(c, fra(w)), fpr(c, frb(w)), p, st), st, p);
    }

    static int fadd(Core c, int w) {
        return add(c, w, D);
    }

    static int fadds(Core c, int w) {
        return add(c, w, S);
    }

    private static int sub(Core c, int w, Precision p) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointArithmetic.subtract(fpr(c, fra(w)), fpr(c, frb(w)), p, st), st, p);
    }

    static int fsub(Core c, int w) {
        return sub(c, w, D);
    }

    static int fsubs(Core c, int w) {
        return sub(c, w, S);
    }

    /** fmul multiplies FRA by FRC (A-form: FRB is unused). */
    private static int mul(Core c, int w, Precision p) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointArithmetic.multiply(fpr(c, fra(w)), fpr(c, frc(w)), p, st), st, p);
    }

    static int fmul(Core c, int w) {
        return mul(c, w, D);
    }

    static int fmuls(Core c, int w) {
        return mul(c, w, S);
    }

    private static int div(Core c, int w, Precision p) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointArithmetic.divide(fpr(c, fra(w)), fpr(c, frb(w)), p, st), st, p);
    }

    static int fdiv(Core c, int w) {
        return div(c, w, D);
    }

    static int fdivs(Core c, int w) {
        return div(c, w, S);
    }

    private static int sqrt(Core c, int w, Precision p) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointArithmetic.squareRoot(fpr(c, frb(w)), p, st), st, p);
    }

    static int fsqrt(Core c, int w) {
        return sqrt(c, w, D);
    }

    static int fsqrts(Core c, int w) {
        return sqrt(c, w, S);
    }

    private static int fma(Core c, int w, boolean negateAddend, boolean negateResult, Precision p) {
        FloatStatus st = status(c);
        long r = FloatingPointArithmetic.multiplyAdd(fpr(c, fra(w)), fpr(c, frc(w)), fpr(c, frb(w)), negateAddend,
                negateResult, p, st);
        return complete(c, w, r, st, p);
    }

    static int fmadd(Core c, int w) {
        return fma(c, w, false, false, D);
    }

    static int fmadds(Core c, int w) {
        return fma(c, w, false, false, S);
    }

    static int fmsub(Core c, int w) {
        return fma(c, w, true, false, D);
    }

    static int fmsubs(Core c, int w) {
        return fma(c, w, true, false, S);
    }

    static int fnmadd(Core c, int w) {
        return fma(c, w, false, true, D);
    }

    static int fnmadds(Core c, int w) {
        return fma(c, w, false, true, S);
    }

    static int fnmsub(Core c, int w) {
        return fma(c, w, true, true, D);
    }

    static int fnmsubs(Core c, int w) {
        return fma(c, w, true, true, S);
    }

    private static int re(Core c, int w, Precision p) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointArithmetic.reciprocalEstimate(fpr(c, frb(w)), p, st), st, p);
    }

    static int fre(Core c, int w) {
        return re(c, w, D);
    }

    static int fres(Core c, int w) {
        return re(c, w, S);
    }

    private static int rsqrte(Core c, int w, Precision p) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointArithmetic.reciprocalSquareRootEstimate(fpr(c, frb(w)), p, st), st, p);
    }

    static int frsqrte(Core c, int w) {
        return rsqrte(c, w, D);
    }

    static int frsqrtes(Core c, int w) {
        return rsqrte(c, w, S);
    }

    /** fsel: FRC when FRA >= 0 (either zero included), else FRB; a NaN in FRA selects FRB. */
    static int fsel(Core c, int w) {
        long a = fpr(c, fra(w));
        boolean ge = !Binary64.isNaN(a) && (a >= 0 || Binary64.isZero(a));
        return move(c, w, ge ? fpr(c, frc(w)) : fpr(c, frb(w)));
    }

    // ---- rounding and conversion ----

    static int frsp(Core c, int w) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointConversions.roundToSingle(fpr(c, frb(w)), st), st, S);
    }

    private static int toInteger(Core c, int w, int bits, boolean signed, boolean truncate) {
        FloatStatus st = status(c);
        int mode = truncate ? Fpscr.ROUND_TOWARD_ZERO : st.roundingMode;
        long v = FloatingPointConversions.toInteger(fpr(c, frb(w)), bits, signed, mode, st);
        // A word result sits in FRT[32:63]; FRT[0:31] is undefined and left 0 here.
        return complete(c, w, v, st, KEEP_FPRF);
    }

    static int fctiw(Core c, int w) {
        return toInteger(c, w, 32, true, false);
    }

    static int fctiwz(Core c, int w) {
        return toInteger(c, w, 32, true, true);
    }

    static int fctiwu(Core c, int w) {
        return toInteger(c, w, 32, false, false);
    }

    static int fctiwuz(Core c, int w) {
        return toInteger(c, w, 32, false, true);
    }

    static int fctid(Core c, int w) {
        return toInteger(c, w, 64, true, false);
    }

    static int fctidz(Core c, int w) {
        return toInteger(c, w, 64, true, true);
    }

    static int fctidu(Core c, int w) {
        return toInteger(c, w, 64, false, false);
    }

    static int fctiduz(Core c, int w) {
        return toInteger(c, w, 64, false, true);
    }

    private static int fromInteger(Core c, int w, boolean signed, Precision p) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointConversions.fromInteger(fpr(c, frb(w)), signed, p, st), st, p);
    }

    static int fcfid(Core c, int w) {
        return fromInteger(c, w, true, D);
    }

    static int fcfidu(Core c, int w) {
        return fromInteger(c, w, false, D);
    }

    static int fcfids(Core c, int w) {
        return fromInteger(c, w, true, S);
    }

    static int fcfidus(Core c, int w) {
        return fromInteger(c, w, false, S);
    }

    private static int roundToIntegral(Core c, int w, int mode) {
        FloatStatus st = status(c);
        return complete(c, w, FloatingPointConversions.roundToIntegral(fpr(c, frb(w)), mode, st), st, D);
    }

    static int frin(Core c, int w) {
        return roundToIntegral(c, w, FloatingPointConversions.ROUND_NEAREST_AWAY);
    }

    static int friz(Core c, int w) {
        return roundToIntegral(c, w, Fpscr.ROUND_TOWARD_ZERO);
    }

    static int frip(Core c, int w) {
        return roundToIntegral(c, w, Fpscr.ROUND_UP);
    }

    static int frim(Core c, int w) {
        return roundToIntegral(c, w, Fpscr.ROUND_DOWN);
    }

    // ---- compare and test ----

    /**
     * fcmpu / fcmpo: CR[BF] and FPSCR[FPCC] get the relation. An SNaN operand is VXSNAN; fcmpo
     * also raises VXVC for a QNaN, or for an SNaN when VE=0 (ISA 4.6.8). The CR field and FPCC
     * are written even when the exception is enabled.
     */
    private static int compare(Core c, int w, boolean ordered) {
        return compareValues(c, bf(w), fpr(c, fra(w)), fpr(c, frb(w)), ordered);
    }

    /** The compare of {@code a} and {@code b} into CR field {@code bf} and FPCC (also xscmpudp, xscmpodp). */
    static int compareValues(Core c, int bf, long a, long b, boolean ordered) {
        int rel = FloatingPointCompare.compare(a, b);
        long f = c.vs.fpscr;
        int flags = 0;
        if (rel == FloatingPointCompare.UNORDERED) {
            boolean snan = Binary64.isSignalingNaN(a) || Binary64.isSignalingNaN(b);
            if (snan) {
                flags |= Fpscr.VXSNAN;
            }
            if (ordered && (!snan || (f & Fpscr.VE) == 0)) {
                flags |= Fpscr.VXVC;
            }
        }
        c.cr = ConditionRegister.withField(c.cr, bf, rel);
        f = (f & ~(long) Fpscr.FPCC) | ((long) rel << 12);
        return FloatingPointUnit.raise(c, 0, f, flags);
    }

    static int fcmpu(Core c, int w) {
        return compare(c, w, false);
    }

    static int fcmpo(Core c, int w) {
        return compare(c, w, true);
    }

    static int ftdiv(Core c, int w) {
        c.cr = ConditionRegister.withField(c.cr, bf(w), FloatingPointCompare.testDivide(fpr(c, fra(w)), fpr(c, frb(w))));
        return Core.OK;
    }

    static int ftsqrt(Core c, int w) {
        c.cr = ConditionRegister.withField(c.cr, bf(w), FloatingPointCompare.testSquareRoot(fpr(c, frb(w))));
        return Core.OK;
    }
}
