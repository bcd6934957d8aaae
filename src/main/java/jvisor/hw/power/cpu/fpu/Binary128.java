package jvisor.hw.power.cpu.fpu;

import java.math.BigInteger;

/**
 * IEEE 754 binary128 (quad precision) as the VSX quad-precision instructions compute it (ISA 3.0B
 * Book I 7.6.1, xsaddqp ...): values held as two longs, {@code hi} (sign, 15-bit exponent, the
 * fraction's high 48 bits) and {@code lo} (the fraction's low 64 bits), as a VSR holds them.
 * Every result is exact before one rounding: intermediates are {@link BigInteger}s, rounded by
 * {@link #round} to a {@link Format} in a FPSCR[RN] mode or {@link #ROUND_ODD}, with POWER's NaN
 * rules (the first NaN operand, quieted; the default QNaN for invalid operations), tininess
 * before rounding and the enabled overflow/underflow exponent adjustment.
 */
public final class Binary128 {
    private Binary128() {
    }

    public static final long SIGN = 1L << 63;
    /** Exponent field mask in {@code hi}. */
    public static final long EXPONENT = 0x7FFFL << 48;
    public static final long FRACTION_HI = (1L << 48) - 1;
    /** The quiet bit of a NaN (fraction bit 0, the most significant). */
    public static final long QUIET = 1L << 47;
    public static final int BIAS = 16383;
    /** The default QNaN's high doubleword (its low one is 0). */
    public static final long DEFAULT_NAN_HI = 0x7FFF_8000_0000_0000L;
    public static final long INFINITY_HI = 0x7FFF_0000_0000_0000L;
    /** Round to odd: truncate, and set the last bit when anything was lost (the "o" forms). */
    public static final int ROUND_ODD = 5;
    /** To nearest, ties away from zero (xsrqpxp with R=0, RMC=00). */
    public static final int ROUND_NEAREST_AWAY = FloatingPointConversions.ROUND_NEAREST_AWAY;

    /** A format results are rounded to: significand bits, exponent range, the enabled-exception adjust. */
    public record Format(int bits, int emin, int emax, int adjust) {
    }

    public static final Format QUAD = new Format(113, -16382, 16383, 24576);
    /** Double-extended: a 64-bit significand in quad's exponent range (xsrqpxp). */
    public static final Format EXTENDED = new Format(64, -16382, 16383, 24576);
    public static final Format DOUBLE = new Format(53, -1022, 1023, 1536);

    // ---- classification ----

    public static boolean isNaN(long hi, long lo) {
        return (hi & EXPONENT) == EXPONENT && ((hi & FRACTION_HI) | lo) != 0;
    }

    public static boolean isSignalingNaN(long hi, long lo) {
        return isNaN(hi, lo) && (hi & QUIET) == 0;
    }

    public static boolean isInfinite(long hi, long lo) {
        return (hi & ~SIGN) == INFINITY_HI && lo == 0;
    }

    public static boolean isZero(long hi, long lo) {
        return (hi & ~SIGN) == 0 && lo == 0;
    }

    public static int biasedExponent(long hi) {
        return (int) (hi >>> 48) & 0x7FFF;
    }

    /** The FPRF class code (C FL FG FE FU) of a quad value, unshifted. */
    public static int fprfClass(long hi, long lo) {
        boolean neg = hi < 0;
        int e = biasedExponent(hi);
        boolean fracZero = ((hi & FRACTION_HI) | lo) == 0;
        if (e == 0x7FFF) {
            return !fracZero ? Fpscr.CLASS_QNAN : neg ? Fpscr.CLASS_NEG_INF : Fpscr.CLASS_POS_INF;
        }
        if (e == 0) {
            if (fracZero) return neg ? Fpscr.CLASS_NEG_ZERO : Fpscr.CLASS_POS_ZERO;
            return neg ? Fpscr.CLASS_NEG_DENORMAL : Fpscr.CLASS_POS_DENORMAL;
        }
        return neg ? Fpscr.CLASS_NEG_NORMAL : Fpscr.CLASS_POS_NORMAL;
    }

    /** The significand of a finite value as an integer: with the implicit bit unless zero or denormal. */
    public static BigInteger significand(long hi, long lo) {
        long top = hi & FRACTION_HI;
        if (biasedExponent(hi) != 0) {
            top |= 1L << 48;
        }
        return BigInteger.valueOf(top).shiftLeft(64).or(unsigned(lo));
    }

    /** The exponent of the significand's unit bit: the value is {@code significand * 2^unitExponent}. */
    public static int unitExponent(long hi) {
        int e = biasedExponent(hi);
        return (e == 0 ? 1 : e) - BIAS - 112;
    }

    static BigInteger unsigned(long x) {
        BigInteger b = BigInteger.valueOf(x & Long.MAX_VALUE);
        return x < 0 ? b.setBit(63) : b;
    }

    // ---- NaNs ----

    /** A NaN operand as a result: quieted. */
    public static long[] quiet(long hi, long lo) {
        return new long[] {hi | QUIET, lo};
    }

    public static long[] defaultNaN() {
        return new long[] {DEFAULT_NAN_HI, 0};
    }

    // ---- rounding ----

    /**
     * Rounds {@code sig * 2^exp} (sig > 0; {@code sticky}: non-zero bits lay below it) to format
     * {@code f} in {@code mode} (a {@link Fpscr} rounding mode or {@link #ROUND_ODD}), raising OX,
     * UX, XX, FR and FI in {@code st}. Returns the rounded value as {significand, unit exponent}
     * (a {@code BigInteger[]} with the exponent as its second element), or {@code null} for an
     * infinity after a disabled overflow, or the largest finite number ({@link #maxFinite}).
     */
    public static Object[] round(boolean neg, BigInteger sig, int exp, boolean sticky, Format f, int mode, FloatStatus st) {
        int lead = exp + sig.bitLength() - 1;
        boolean tiny = lead < f.emin(), adjusted = false;
        if (tiny && st.underflowEnabled) {
            st.flags |= Fpscr.UX;
            exp += f.adjust();
            lead += f.adjust();
            tiny = false;
            adjusted = true;
        }
        int lsb = (tiny ? f.emin() : lead) - (f.bits() - 1);
        int shift = lsb - exp;
        BigInteger kept;
        int cmpHalf; // the discarded part against one half unit: -1 below, 0 equal, 1 above
        boolean inexact;
        if (shift > 0) {
            kept = sig.shiftRight(shift);
            BigInteger rem = sig.subtract(kept.shiftLeft(shift));
            BigInteger half = BigInteger.ONE.shiftLeft(shift - 1);
            int c = rem.compareTo(half);
            cmpHalf = c != 0 ? c : sticky ? 1 : 0;
            inexact = rem.signum() != 0 || sticky;
        } else {
            kept = sig.shiftLeft(-shift);
            cmpHalf = -1;
            inexact = sticky;
        }
        boolean up = false;
        if (inexact) {
            up = switch (mode) {
                case Fpscr.ROUND_NEAREST -> cmpHalf > 0 || (cmpHalf == 0 && kept.testBit(0));
                case ROUND_NEAREST_AWAY -> cmpHalf >= 0;
                case Fpscr.ROUND_TOWARD_ZERO, ROUND_ODD -> false;
                case Fpscr.ROUND_UP -> !neg;
                default -> neg;
            };
            if (mode == ROUND_ODD) {
                kept = kept.setBit(0);
            }
            st.flags |= Fpscr.XX | Fpscr.FI | (up ? Fpscr.FR : 0);
            if (tiny) {
                st.flags |= Fpscr.UX;
            }
        }
        if (up) {
            kept = kept.add(BigInteger.ONE);
        }
        int newLead = lsb + kept.bitLength() - 1;
        if (kept.signum() != 0 && newLead > f.emax()) {
            if (!st.overflowEnabled) {
                boolean toInfinity = switch (mode) {
                    case Fpscr.ROUND_NEAREST, ROUND_NEAREST_AWAY -> true;
                    case Fpscr.ROUND_UP -> !neg;
                    case Fpscr.ROUND_DOWN -> neg;
                    default -> false;
                };
                st.flags |= Fpscr.OX | Fpscr.XX | Fpscr.FI | (toInfinity ? Fpscr.FR : 0);
                return toInfinity ? null : new Object[] {maxSignificand(f), f.emax() - (f.bits() - 1)};
            }
            st.flags |= Fpscr.OX;
            lsb -= f.adjust();
        }
        return new Object[] {kept, lsb};
    }

    private static BigInteger maxSignificand(Format f) {
        return BigInteger.ONE.shiftLeft(f.bits()).subtract(BigInteger.ONE);
    }

    /** Rounds to quad in {@code mode} and packs; a disabled overflow to infinity gives the signed infinity. */
    public static long[] roundQuad(boolean neg, BigInteger sig, int exp, boolean sticky, Format f, int mode,
                                   FloatStatus st) {
        Object[] r = round(neg, sig, exp, sticky, f, mode, st);
        if (r == null) {
            return new long[] {(neg ? SIGN : 0) | INFINITY_HI, 0};
        }
        return pack(neg, (BigInteger) r[0], (Integer) r[1]);
    }

    /**
     * Packs {@code sig * 2^exp}, exactly representable, into quad format. A zero significand gives
     * a signed zero; an exponent outside quad's range (only for adjusted results of extreme
     * operands, which the ISA leaves undefined) wraps in the exponent field.
     */
    public static long[] pack(boolean neg, BigInteger sig, int exp) {
        long s = neg ? SIGN : 0;
        if (sig.signum() == 0) {
            return new long[] {s, 0};
        }
        int lead = exp + sig.bitLength() - 1;
        BigInteger frac;
        long biased;
        if (lead >= -16382) {
            frac = sig.shiftLeft(112 - (sig.bitLength() - 1)).clearBit(112);
            biased = (lead + BIAS) & 0x7FFF;
        } else {
            int sh = exp + 16494;
            frac = sh >= 0 ? sig.shiftLeft(sh) : sig.shiftRight(-sh);
            biased = 0;
        }
        long fhi = frac.shiftRight(64).longValue() & FRACTION_HI;
        return new long[] {s | biased << 48 | fhi, frac.longValue()};
    }

    // ---- arithmetic ----

    /** The first NaN of the operands quieted, with VXSNAN if any is signaling; null if none is a NaN. */
    private static long[] propagate(FloatStatus st, long... ops) {
        long[] first = null;
        for (int i = 0; i < ops.length; i += 2) {
            if (isNaN(ops[i], ops[i + 1])) {
                if (isSignalingNaN(ops[i], ops[i + 1])) {
                    st.flags |= Fpscr.VXSNAN;
                }
                if (first == null) {
                    first = quiet(ops[i], ops[i + 1]);
                }
            }
        }
        return first;
    }

    private static long[] invalid(int cause, FloatStatus st) {
        st.flags |= cause;
        return defaultNaN();
    }

    private static long[] zero(boolean neg) {
        return new long[] {neg ? SIGN : 0, 0};
    }

    /** The sign of an exact zero sum of operands of different signs: -0 only when rounding down. */
    private static long[] zeroSum(boolean sa, boolean sb, int mode) {
        return zero(sa == sb ? sa : mode == Fpscr.ROUND_DOWN);
    }

    public static long[] add(long ah, long al, long bh, long bl, int mode, FloatStatus st) {
        long[] nan = propagate(st, ah, al, bh, bl);
        if (nan != null) return nan;
        boolean sa = ah < 0, sb = bh < 0;
        if (isInfinite(ah, al)) {
            return isInfinite(bh, bl) && sa != sb ? invalid(Fpscr.VXISI, st) : new long[] {ah, al};
        }
        if (isInfinite(bh, bl)) return new long[] {bh, bl};
        boolean za = isZero(ah, al), zb = isZero(bh, bl);
        if (za && zb) return zeroSum(sa, sb, mode);
        return sum(signed(ah, al), unitExponent(ah), signed(bh, bl), unitExponent(bh), mode, st);
    }

    public static long[] subtract(long ah, long al, long bh, long bl, int mode, FloatStatus st) {
        if (isNaN(bh, bl)) {
            return add(ah, al, bh, bl, mode, st);
        }
        return add(ah, al, bh ^ SIGN, bl, mode, st);
    }

    /** The significand with the value's sign. */
    private static BigInteger signed(long hi, long lo) {
        BigInteger s = significand(hi, lo);
        return hi < 0 ? s.negate() : s;
    }

    /** x * 2^ex + y * 2^ey exactly, rounded (an exact zero from opposite signs by {@link #zeroSum}). */
    private static long[] sum(BigInteger x, int ex, BigInteger y, int ey, int mode, FloatStatus st) {
        int e = Math.min(ex, ey);
        BigInteger s = x.shiftLeft(ex - e).add(y.shiftLeft(ey - e));
        if (s.signum() == 0) {
            return zeroSum(false, true, mode);
        }
        return roundQuad(s.signum() < 0, s.abs(), e, false, QUAD, mode, st);
    }

    public static long[] multiply(long ah, long al, long bh, long bl, int mode, FloatStatus st) {
        long[] nan = propagate(st, ah, al, bh, bl);
        if (nan != null) return nan;
        boolean neg = (ah ^ bh) < 0;
        if (isInfinite(ah, al) || isInfinite(bh, bl)) {
            if (isZero(ah, al) || isZero(bh, bl)) return invalid(Fpscr.VXIMZ, st);
            return new long[] {(neg ? SIGN : 0) | INFINITY_HI, 0};
        }
        if (isZero(ah, al) || isZero(bh, bl)) return zero(neg);
        BigInteger p = significand(ah, al).multiply(significand(bh, bl));
        return roundQuad(neg, p, unitExponent(ah) + unitExponent(bh), false, QUAD, mode, st);
    }

    public static long[] divide(long ah, long al, long bh, long bl, int mode, FloatStatus st) {
        long[] nan = propagate(st, ah, al, bh, bl);
        if (nan != null) return nan;
        boolean neg = (ah ^ bh) < 0;
        long inf = (neg ? SIGN : 0) | INFINITY_HI;
        if (isInfinite(ah, al)) {
            return isInfinite(bh, bl) ? invalid(Fpscr.VXIDI, st) : new long[] {inf, 0};
        }
        if (isInfinite(bh, bl)) return zero(neg);
        if (isZero(bh, bl)) {
            if (isZero(ah, al)) return invalid(Fpscr.VXZDZ, st);
            st.flags |= Fpscr.ZX;
            return new long[] {inf, 0};
        }
        if (isZero(ah, al)) return zero(neg);
        BigInteger a = significand(ah, al), b = significand(bh, bl);
        int k = 240 + b.bitLength() - a.bitLength();
        BigInteger[] qr = a.shiftLeft(k).divideAndRemainder(b);
        return roundQuad(neg, qr[0], unitExponent(ah) - unitExponent(bh) - k, qr[1].signum() != 0, QUAD, mode, st);
    }

    public static long[] squareRoot(long bh, long bl, int mode, FloatStatus st) {
        long[] nan = propagate(st, bh, bl);
        if (nan != null) return nan;
        if (isZero(bh, bl)) return new long[] {bh, bl};
        if (bh < 0) return invalid(Fpscr.VXSQRT, st);
        if (isInfinite(bh, bl)) return new long[] {bh, bl};
        BigInteger m = significand(bh, bl);
        int e = unitExponent(bh);
        int n = 240 - m.bitLength();
        if (((e - n) & 1) != 0) n++;
        BigInteger scaled = m.shiftLeft(n);
        BigInteger root = scaled.sqrt();
        boolean sticky = !root.multiply(root).equals(scaled);
        return roundQuad(false, root, (e - n) / 2, sticky, QUAD, mode, st);
    }

    /**
     * {@code a * b + c} rounded once (xsmaddqp), with the addend and the result negated as the
     * msub/nmadd/nmsub forms ask (never a NaN). NaNs: the first of a, c, b; VXIMZ for infinity
     * times zero also when c is a QNaN; VXISI for infinities of opposite signs.
     */
    public static long[] multiplyAdd(long ah, long al, long bh, long bl, long ch, long cl, boolean negateAddend,
                                     boolean negateResult, int mode, FloatStatus st) {
        boolean imz = (isInfinite(ah, al) && isZero(bh, bl)) || (isZero(ah, al) && isInfinite(bh, bl));
        if (isNaN(ah, al) || isNaN(bh, bl) || isNaN(ch, cl)) {
            long[] nan = propagate(st, ah, al, ch, cl, bh, bl);
            if (imz) st.flags |= Fpscr.VXIMZ;
            return nan;
        }
        if (negateAddend) ch ^= SIGN;
        long flip = negateResult ? SIGN : 0;
        boolean sp = (ah ^ bh) < 0, sc = ch < 0;
        if (imz) return invalid(Fpscr.VXIMZ, st);
        if (isInfinite(ah, al) || isInfinite(bh, bl)) {
            if (isInfinite(ch, cl) && sc != sp) return invalid(Fpscr.VXISI, st);
            return new long[] {((sp ? SIGN : 0) | INFINITY_HI) ^ flip, 0};
        }
        if (isInfinite(ch, cl)) return new long[] {ch ^ flip, cl};
        boolean zp = isZero(ah, al) || isZero(bh, bl), zc = isZero(ch, cl);
        if (zp && zc) {
            long[] z = zeroSum(sp, sc, mode);
            z[0] ^= flip;
            return z;
        }
        BigInteger p = significand(ah, al).multiply(significand(bh, bl));
        if (sp) p = p.negate();
        int pe = unitExponent(ah) + unitExponent(bh);
        BigInteger c = zc ? BigInteger.ZERO : signed(ch, cl);
        int ce = zc ? pe : unitExponent(ch);
        if (zp) {
            p = BigInteger.ZERO;
            pe = ce;
        }
        int e = Math.min(pe, ce);
        BigInteger s = p.shiftLeft(pe - e).add(c.shiftLeft(ce - e));
        if (s.signum() == 0) {
            long[] z = zeroSum(false, true, mode);
            z[0] ^= flip;
            return z;
        }
        return roundQuad((s.signum() < 0) ^ negateResult, s.abs(), e, false, QUAD, mode, st);
    }
}
