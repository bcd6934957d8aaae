package jvisor.hw.power.cpu.fpu;

import static jvisor.hw.power.cpu.fpu.Binary64.SIGN;

/**
 * Rounds an exact intermediate result to a precision, as ISA 3.0B Book I 4.3.6 and 4.4 describe:
 * the four modes of FPSCR[RN]; tininess detected before rounding; underflow (disabled) only when
 * the tiny result is also inexact; enabled overflow and underflow deliver the rounded result with
 * its exponent adjusted; FR when the magnitude was rounded up, FI and XX when inexact.
 *
 * <p>The intermediate result is given as a sign, an exponent and a significand whose leading one
 * is at bit 62 and whose bit 0 is "sticky" (set when any non-zero bits lay below it), so that
 * {@code value = sig * 2^(exp - 62)} up to the sticky bit.
 */
public final class Rounding {
    private Rounding() {
    }

    /** Shifts right by {@code n}, ORing every bit shifted out into bit 0. */
    public static long shiftRightJam(long v, int n) {
        if (n <= 0) {
            return v;
        }
        if (n >= 63) {
            return v != 0 ? 1 : 0;
        }
        return (v >>> n) | ((v & ((1L << n) - 1)) != 0 ? 1 : 0);
    }

    /** Whether rounding the discarded bits {@code rem} (of {@code lsb} units) away from zero is right in {@code mode}. */
    static boolean roundsUp(int mode, boolean negative, long sig, long rem, long lsb) {
        if (rem == 0) {
            return false;
        }
        return switch (mode) {
            case Fpscr.ROUND_NEAREST -> {
                long half = lsb >>> 1;
                yield Long.compareUnsigned(rem, half) > 0 || (rem == half && (sig & lsb) != 0);
            }
            case Fpscr.ROUND_TOWARD_ZERO -> false;
            case Fpscr.ROUND_UP -> !negative;
            default -> negative;
        };
    }

    /**
     * Rounds {@code sig * 2^(exp - 62)} (sig normalized, leading one at bit 62, sticky in bit 0)
     * to {@code p} in the status's mode and returns it in double format, raising OX, UX, XX, FR
     * and FI in the status.
     */
    public static long round(boolean negative, int exp, long sig, Precision p, FloatStatus st) {
        boolean tiny = exp < p.emin, adjusted = false;
        if (tiny && st.underflowEnabled) {
            // Enabled underflow: the result is rounded to the precision as if the exponent range
            // were unbounded and delivered with its exponent raised by the adjustment, in double
            // format whatever the precision (so a single-precision result may lie outside
            // single's range; only beyond double's is it lost, where the ISA leaves it undefined).
            st.flags |= Fpscr.UX;
            exp += p.adjust;
            tiny = false;
            adjusted = true;
        } else if (tiny) {
            sig = shiftRightJam(sig, p.emin - exp);
            exp = p.emin;
        }
        long lsb = 1L << (63 - p.bits);
        long rem = sig & (lsb - 1);
        boolean up = roundsUp(st.roundingMode, negative, sig, rem, lsb);
        sig -= rem;
        if (up) {
            sig += lsb;
            if (sig < 0) {
                // Carried out of bit 62: the significand is 2.0.
                sig = 1L << 62;
                exp++;
            }
        }
        if (rem != 0) {
            st.flags |= Fpscr.XX | Fpscr.FI;
            if (up) {
                st.flags |= Fpscr.FR;
            }
            if (tiny) {
                st.flags |= Fpscr.UX;
            }
        }
        if (exp > p.emax) {
            if (!st.overflowEnabled) {
                return overflow(negative, p, st);
            }
            // Enabled overflow: the rounded result with its exponent lowered by the adjustment.
            st.flags |= Fpscr.OX;
            exp -= p.adjust;
            adjusted = true;
        }
        if (adjusted && (exp < -1022 || exp > 1023)) {
            // Beyond double's range even adjusted (single-precision instructions on extreme double
            // operands): undefined in the ISA; the exponent field wraps, as in QEMU.
            return (negative ? SIGN : 0) | ((long) ((exp + Binary64.BIAS) & 0x7FF) << 52)
                    | ((sig >>> 10) & Binary64.FRACTION);
        }
        return pack(negative, exp, sig);
    }

    /**
     * The result of a disabled overflow: infinity or the largest finite number of the precision,
     * as the rounding mode and sign choose (ISA 4.4.3); OX, XX and FI are set, and FR when the
     * result is an infinity.
     */
    static long overflow(boolean negative, Precision p, FloatStatus st) {
        boolean toInfinity = switch (st.roundingMode) {
            case Fpscr.ROUND_NEAREST -> true;
            case Fpscr.ROUND_TOWARD_ZERO -> false;
            case Fpscr.ROUND_UP -> !negative;
            default -> negative;
        };
        st.flags |= Fpscr.OX | Fpscr.XX | Fpscr.FI | (toInfinity ? Fpscr.FR : 0);
        return (negative ? SIGN : 0) | (toInfinity ? Binary64.POSITIVE_INFINITY : p.maxFinite);
    }

    /**
     * Packs {@code sig * 2^(exp - 62)} into double format; the value must be representable
     * exactly (it has been rounded). A zero significand gives a signed zero.
     */
    public static long pack(boolean negative, int exp, long sig) {
        long s = negative ? SIGN : 0;
        if (sig == 0) {
            return s;
        }
        int lz = Long.numberOfLeadingZeros(sig) - 1;
        sig <<= lz;
        exp -= lz;
        if (exp >= -1022) {
            return s | ((long) (exp + Binary64.BIAS) << 52) | ((sig >>> 10) & Binary64.FRACTION);
        }
        int shift = 10 + (-1022 - exp);
        return shift > 63 ? s : s | (sig >>> shift);
    }

    /**
     * Rounds a double-format value to {@code p}: itself when it already fits, though a tiny
     * value still signals an enabled underflow (and is delivered adjusted). NaNs, infinities and
     * zeros are returned as they are.
     */
    public static long toPrecision(long x, Precision p, FloatStatus st) {
        if (!Binary64.isFiniteNonZero(x) || (p == Precision.DOUBLE && !Binary64.isZeroOrDenormal(x))) {
            return x;
        }
        return round(x < 0, Binary64.exponent(x), Binary64.significand(x) << 10, p, st);
    }
}
