package jvisor.hw.power.cpu.fpu;

import static jvisor.hw.power.cpu.fpu.Binary64.DEFAULT_NAN;
import static jvisor.hw.power.cpu.fpu.Binary64.SIGN;
import static jvisor.hw.power.cpu.fpu.Binary64.exponent;
import static jvisor.hw.power.cpu.fpu.Binary64.isInfinite;
import static jvisor.hw.power.cpu.fpu.Binary64.isNaN;
import static jvisor.hw.power.cpu.fpu.Binary64.isSignalingNaN;
import static jvisor.hw.power.cpu.fpu.Binary64.isZero;
import static jvisor.hw.power.cpu.fpu.Binary64.significand;

/**
 * IEEE 754 arithmetic on values in double format, rounded once to a {@link Precision} in any of
 * the four rounding modes: add, subtract, multiply, divide, square root and fused multiply-add,
 * with POWER's rules for NaNs (the first NaN operand in the instruction's order, quieted; the
 * default QNaN for invalid operations) and the exceptions of ISA 3.0B Book I 4.4 raised in a
 * {@link FloatStatus}. Results are exact: the intermediate is computed in integers wide enough to
 * hold it (or a sticky bit for what lies beyond) and rounded by {@link Rounding#round}; the common
 * case of add, subtract, multiply and divide is left to the host's own arithmetic first
 * ({@link HostArithmetic}), which gives the same results and flags there.
 */
public final class FloatingPointArithmetic {
    private FloatingPointArithmetic() {
    }

    // ---- NaNs ----

    /**
     * A NaN operand as a result: quieted, and for single precision with the fraction cut to
     * single's 23 bits (the NaN converted to single format and back, ISA 4.3.6).
     */
    public static long nanResult(long nan, Precision p) {
        long q = Binary64.quiet(nan);
        return p == Precision.SINGLE ? q & ~((1L << 29) - 1) : q;
    }

    /** VXSNAN if any of the operands is a signaling NaN. */
    private static void signalingCheck(long a, long b, FloatStatus st) {
        if (isSignalingNaN(a) || isSignalingNaN(b)) {
            st.flags |= Fpscr.VXSNAN;
        }
    }

    /** The first NaN of a, b (at least one is a NaN). */
    private static long propagate(long a, long b, Precision p, FloatStatus st) {
        signalingCheck(a, b, st);
        return nanResult(isNaN(a) ? a : b, p);
    }

    private static long invalid(int cause, FloatStatus st) {
        st.flags |= cause;
        return DEFAULT_NAN;
    }

    /** The sign of an exact zero sum of operands of signs {@code sa}, {@code sb} (IEEE 754 6.3). */
    private static long zeroSum(boolean sa, boolean sb, FloatStatus st) {
        if (sa == sb) {
            return sa ? SIGN : 0;
        }
        return st.roundingMode == Fpscr.ROUND_DOWN ? SIGN : 0;
    }

    // ---- add and subtract ----

    public static long add(long a, long b, Precision p, FloatStatus st) {
        return addSigned(a, b, false, p, st);
    }

    public static long subtract(long a, long b, Precision p, FloatStatus st) {
        return addSigned(a, b, true, p, st);
    }

    private static long addSigned(long a, long b, boolean negateB, Precision p, FloatStatus st) {
        long quick = HostArithmetic.add(a, negateB ? b ^ SIGN : b, p, st);
        if (quick != HostArithmetic.NO_RESULT) {
            return quick;
        }
        if (isNaN(a) || isNaN(b)) {
            return propagate(a, b, p, st);
        }
        if (negateB) {
            b ^= SIGN;
        }
        boolean sa = a < 0, sb = b < 0;
        if (isInfinite(a)) {
            return isInfinite(b) && sa != sb ? invalid(Fpscr.VXISI, st) : a;
        }
        if (isInfinite(b)) {
            return b;
        }
        if (isZero(a)) {
            return isZero(b) ? zeroSum(sa, sb, st) : Rounding.toPrecision(b, p, st);
        }
        if (isZero(b)) {
            return Rounding.toPrecision(a, p, st);
        }
        int ea = exponent(a), eb = exponent(b);
        // Significands with the leading one at bit 61: bit 62 takes the carry of an addition.
        long ma = significand(a) << 9, mb = significand(b) << 9;
        if (ea < eb || (ea == eb && ma < mb)) {
            int te = ea;
            ea = eb;
            eb = te;
            long tm = ma;
            ma = mb;
            mb = tm;
            boolean ts = sa;
            sa = sb;
            sb = ts;
        }
        mb = Rounding.shiftRightJam(mb, ea - eb);
        long s;
        if (sa == sb) {
            s = ma + mb;
        } else {
            s = ma - mb;
            if (s == 0) {
                return zeroSum(false, true, st);
            }
        }
        int lead = 63 - Long.numberOfLeadingZeros(s);
        return Rounding.round(sa, ea - 61 + lead, s << (62 - lead), p, st);
    }

    // ---- multiply ----

    public static long multiply(long a, long b, Precision p, FloatStatus st) {
        long quick = HostArithmetic.multiply(a, b, p, st);
        if (quick != HostArithmetic.NO_RESULT) {
            return quick;
        }
        if (isNaN(a) || isNaN(b)) {
            return propagate(a, b, p, st);
        }
        boolean neg = (a ^ b) < 0;
        if (isInfinite(a) || isInfinite(b)) {
            if (isZero(a) || isZero(b)) {
                return invalid(Fpscr.VXIMZ, st);
            }
            return (neg ? SIGN : 0) | Binary64.POSITIVE_INFINITY;
        }
        if (isZero(a) || isZero(b)) {
            return neg ? SIGN : 0;
        }
        long x = significand(a) << 11, y = significand(b) << 11;
        long hi = Math.unsignedMultiplyHigh(x, y), lo = x * y;
        int exp = exponent(a) + exponent(b);
        long sig;
        if (hi < 0) {
            // Product in [2, 4): leading one at bit 63.
            sig = (hi >>> 1) | (hi & 1) | (lo != 0 ? 1 : 0);
            exp++;
        } else {
            sig = hi | (lo != 0 ? 1 : 0);
        }
        return Rounding.round(neg, exp, sig, p, st);
    }

    // ---- divide ----

    public static long divide(long a, long b, Precision p, FloatStatus st) {
        long quick = HostArithmetic.divide(a, b, p, st);
        if (quick != HostArithmetic.NO_RESULT) {
            return quick;
        }
        if (isNaN(a) || isNaN(b)) {
            return propagate(a, b, p, st);
        }
        boolean neg = (a ^ b) < 0;
        long signed = neg ? SIGN : 0;
        if (isInfinite(a)) {
            return isInfinite(b) ? invalid(Fpscr.VXIDI, st) : signed | Binary64.POSITIVE_INFINITY;
        }
        if (isInfinite(b)) {
            return signed;
        }
        if (isZero(b)) {
            if (isZero(a)) {
                return invalid(Fpscr.VXZDZ, st);
            }
            st.flags |= Fpscr.ZX;
            return signed | Binary64.POSITIVE_INFINITY;
        }
        if (isZero(a)) {
            return signed;
        }
        long ma = significand(a), mb = significand(b);
        // q = floor(ma * 2^57 / mb), between 2^56 and 2^58: estimated in double arithmetic (off by
        // at most a few units), then corrected with the exact remainder ma * 2^57 - q * mb.
        long q = (long) Math.scalb((double) ma / (double) mb, 57);
        long rem = (ma << 57) - q * mb; // exact: the true remainder is far below 2^63
        long c = rem / mb;
        q += c;
        rem -= c * mb;
        if (rem < 0) {
            q--;
            rem += mb;
        }
        int lead = 63 - Long.numberOfLeadingZeros(q);
        long sig = (q << (62 - lead)) | (rem != 0 ? 1 : 0);
        return Rounding.round(neg, exponent(a) - exponent(b) - 57 + lead, sig, p, st);
    }

    // ---- square root ----

    public static long squareRoot(long b, Precision p, FloatStatus st) {
        if (isNaN(b)) {
            return propagate(b, b, p, st);
        }
        if (isZero(b)) {
            return b;
        }
        if (b < 0) {
            return invalid(Fpscr.VXSQRT, st);
        }
        if (isInfinite(b)) {
            return b;
        }
        int e = exponent(b);
        long m = significand(b);
        if ((e & 1) != 0) {
            m <<= 1;
            e--;
        }
        // q = floor(sqrt(m * 2^60)), between 2^56 and 2^57: estimated in double arithmetic, then
        // corrected with the exact remainder m * 2^60 - q^2 (which fits a long near the root).
        long q = (long) Math.scalb(Math.sqrt((double) m), 30);
        long nLo = m << 60;
        long rem = nLo - q * q;
        while (rem < 0) {
            q--;
            rem += 2 * q + 1;
        }
        while (rem > 2 * q) {
            rem -= 2 * q + 1;
            q++;
        }
        int lead = 63 - Long.numberOfLeadingZeros(q);
        long sig = (q << (62 - lead)) | (rem != 0 ? 1 : 0);
        // sqrt(m * 2^(e - 52)) = q * 2^((e - 52 - 60) / 2).
        return Rounding.round(false, (e - 112) / 2 + lead, sig, p, st);
    }

    // ---- fused multiply-add ----

    /**
     * {@code a * c + b} rounded once (fmadd); {@code negateAddend} gives {@code a * c - b} (fmsub)
     * and {@code negateResult} the negation of either, applied before rounding (fnmadd, fnmsub).
     * NaNs: the first of a, b, c (ISA order), quieted and never negated. Invalid: VXIMZ for
     * infinity times zero (also when b is a QNaN), VXISI for infinities of opposite signs.
     */
    public static long multiplyAdd(long a, long c, long b, boolean negateAddend, boolean negateResult, Precision p,
                                   FloatStatus st) {
        if (isNaN(a) || isNaN(b) || isNaN(c)) {
            if (isSignalingNaN(a) || isSignalingNaN(b) || isSignalingNaN(c)) {
                st.flags |= Fpscr.VXSNAN;
            }
            if (!isNaN(a) && !isNaN(c) && ((isInfinite(a) && isZero(c)) || (isZero(a) && isInfinite(c)))) {
                st.flags |= Fpscr.VXIMZ;
            }
            return nanResult(isNaN(a) ? a : isNaN(b) ? b : c, p);
        }
        if (negateAddend) {
            b ^= SIGN;
        }
        long flip = negateResult ? SIGN : 0;
        boolean sp = (a ^ c) < 0, sb = b < 0;
        if (isInfinite(a) || isInfinite(c)) {
            if (isZero(a) || isZero(c)) {
                return invalid(Fpscr.VXIMZ, st);
            }
            if (isInfinite(b) && sb != sp) {
                return invalid(Fpscr.VXISI, st);
            }
            return ((sp ? SIGN : 0) | Binary64.POSITIVE_INFINITY) ^ flip;
        }
        if (isInfinite(b)) {
            return b ^ flip;
        }
        if (isZero(a) || isZero(c)) {
            if (isZero(b)) {
                return zeroSum(sp, sb, st) ^ flip;
            }
            return Rounding.toPrecision(b ^ flip, p, st);
        }
        if (isZero(b)) {
            return multiply(a ^ flip, c, p, st);
        }
        return fusedFinite(a, c, b, flip != 0, p, st);
    }

    /** a * c + b for finite non-zero operands, negated before rounding when asked. */
    private static long fusedFinite(long a, long c, long b, boolean negate, Precision p, FloatStatus st) {
        boolean sp = (a ^ c) < 0, sb = b < 0;
        // The exact product as 128 bits (ph:pl) with its leading one at bit 125.
        long x = significand(a) << 11, y = significand(c) << 11;
        long ph = Math.unsignedMultiplyHigh(x, y), pl = x * y;
        int pe = exponent(a) + exponent(c);
        int down = 1;
        if (ph < 0) {
            down = 2;
            pe++;
        }
        // The product has 106 significant bits, so these shifts drop only zeros.
        pl = (pl >>> down) | (ph << (64 - down));
        ph >>>= down;
        // The addend in the same frame: its significand (leading one at bit 52) moved to bit 125.
        long bh = significand(b) << 9, bl = 0;
        int eb = exponent(b);
        // Align the smaller exponent to the larger, keeping a sticky bit.
        int exp;
        if (pe >= eb) {
            exp = pe;
            int n = pe - eb;
            long h = bh;
            bh = shiftRightJamHigh(h, n);
            bl = shiftRightJamLow(h, bl, n);
        } else {
            exp = eb;
            int n = eb - pe;
            long h = ph;
            ph = shiftRightJamHigh(h, n);
            pl = shiftRightJamLow(h, pl, n);
        }
        long rh, rl;
        boolean neg;
        if (sp == sb) {
            rl = pl + bl;
            rh = ph + bh + (Long.compareUnsigned(rl, pl) < 0 ? 1 : 0);
            neg = sp;
        } else {
            int cmp = ph != bh ? Long.compare(ph, bh) : Long.compareUnsigned(pl, bl);
            if (cmp == 0) {
                return zeroSum(false, true, st) ^ (negate ? SIGN : 0);
            }
            if (cmp > 0) {
                rl = pl - bl;
                rh = ph - bh - (Long.compareUnsigned(pl, bl) < 0 ? 1 : 0);
                neg = sp;
            } else {
                rl = bl - pl;
                rh = bh - ph - (Long.compareUnsigned(bl, pl) < 0 ? 1 : 0);
                neg = sb;
            }
        }
        // Leading one of the 128-bit result, then a 64-bit significand with sticky.
        int lead = rh != 0 ? 127 - Long.numberOfLeadingZeros(rh) : 63 - Long.numberOfLeadingZeros(rl);
        long sig;
        if (lead >= 62) {
            sig = shiftRightJamLow(rh, rl, lead - 62);
        } else {
            sig = rl << (62 - lead);
        }
        return Rounding.round(neg ^ negate, exp - 125 + lead, sig, p, st);
    }

    // ---- estimates ----

    /**
     * Reciprocal estimate (fre, fres). POWER9 answers from an internal table with a relative
     * error of at most 1/16384 and its exact bits are not architected; this returns 1/b rounded
     * once to {@code p} in the current mode, as QEMU does, which is within every bound the ISA
     * sets (4.6.6.2).
     */
    public static long reciprocalEstimate(long b, Precision p, FloatStatus st) {
        return divide(Binary64.ONE, b, p, st);
    }

    /**
     * Reciprocal square root estimate (frsqrte, frsqrtes): as QEMU, the square root rounded to
     * double, then its reciprocal rounded to {@code p}, both in the current mode; within the
     * ISA's bound of 1/32 (4.6.6.2) though not POWER9's table bits. A negative operand is
     * VXSQRT, a zero ZX.
     */
    public static long reciprocalSquareRootEstimate(long b, Precision p, FloatStatus st) {
        return reciprocalSquareRootEstimate(b, Precision.DOUBLE, p, st);
    }

    /**
     * {@link #reciprocalSquareRootEstimate} with the square root rounded to {@code rootPrecision}
     * first: xvrsqrtesp takes the root of each single element in single precision (as QEMU; the
     * estimate is within the ISA's bound either way).
     */
    public static long reciprocalSquareRootEstimate(long b, Precision rootPrecision, Precision p, FloatStatus st) {
        long root = squareRoot(b, rootPrecision, st);
        if (isNaN(root)) {
            return nanResult(root, p);
        }
        return divide(Binary64.ONE, root, p, st);
    }

    /** The high half of the 128-bit value hi:lo shifted right by n. */
    static long shiftRightJamHigh(long hi, int n) {
        return n <= 0 ? hi : n >= 64 ? 0 : hi >>> n;
    }

    /** The low half of the 128-bit value hi:lo shifted right by n, every bit shifted out ORed into bit 0. */
    static long shiftRightJamLow(long hi, long lo, int n) {
        if (n <= 0) {
            return lo;
        }
        if (n >= 128) {
            return (hi | lo) != 0 ? 1 : 0;
        }
        long kept, lost;
        if (n >= 64) {
            int k = n - 64;
            kept = k == 0 ? hi : hi >>> k;
            lost = lo | (k == 0 ? 0 : hi << (64 - k));
        } else {
            kept = (lo >>> n) | (hi << (64 - n));
            lost = lo << (64 - n);
        }
        return kept | (lost != 0 ? 1 : 0);
    }
}
