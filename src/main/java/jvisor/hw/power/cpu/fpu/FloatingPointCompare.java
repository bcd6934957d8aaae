package jvisor.hw.power.cpu.fpu;

import static jvisor.hw.power.cpu.fpu.Binary64.isInfinite;
import static jvisor.hw.power.cpu.fpu.Binary64.isNaN;
import static jvisor.hw.power.cpu.fpu.Binary64.isZero;
import static jvisor.hw.power.cpu.fpu.Binary64.isZeroOrDenormal;

/** Comparisons and the software-divide/square-root tests (ISA 3.0B Book I 4.6.8, 4.6.6). */
public final class FloatingPointCompare {
    private FloatingPointCompare() {
    }

    /** Condition codes as a CR field or FPSCR[FPCC] holds them. */
    public static final int LESS = 8, GREATER = 4, EQUAL = 2, UNORDERED = 1;

    /** The relation of a to b: {@link #LESS}, {@link #GREATER}, {@link #EQUAL} (also +0 and -0) or {@link #UNORDERED}. */
    public static int compare(long a, long b) {
        if (isNaN(a) || isNaN(b)) {
            return UNORDERED;
        }
        if (isZero(a) && isZero(b)) {
            return EQUAL;
        }
        // Sign-magnitude to two's complement ordering.
        long ka = a < 0 ? -(a & ~Binary64.SIGN) : a, kb = b < 0 ? -(b & ~Binary64.SIGN) : b;
        return ka < kb ? LESS : ka > kb ? GREATER : EQUAL;
    }

    /** The unbiased exponent field as ftdiv/ftsqrt read it (a denormal's is -1023). */
    private static int rawExponent(long x) {
        return Binary64.biasedExponent(x) - Binary64.BIAS;
    }

    /**
     * ftdiv's CR field: 0b1000 | fg << 2 | fe << 1, where fe says that a / b may not be computed
     * correctly by a software divide sequence (operands special or exponents extreme) and fg
     * that b is an infinity, zero or denormal (or a is an infinity).
     */
    public static int testDivide(long a, long b) {
        boolean fe = false, fg = false;
        if (isInfinite(a) || isInfinite(b) || isZero(b)) {
            fe = true;
            fg = true;
        } else {
            int ea = rawExponent(a), eb = rawExponent(b);
            if (isNaN(a) || isNaN(b) || eb <= -1022 || eb >= 1021) {
                fe = true;
            } else if (!isZero(a) && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970)) {
                fe = true;
            }
            if (isZeroOrDenormal(b)) {
                fg = true;
            }
        }
        return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
    }

    /** ftsqrt's CR field: as {@link #testDivide} for a square root of b. */
    public static int testSquareRoot(long b) {
        boolean fe = false, fg = false;
        if (isInfinite(b) || isZero(b)) {
            fe = true;
            fg = true;
        } else {
            if (isNaN(b) || b < 0 || rawExponent(b) <= -1022 + 52) {
                fe = true;
            }
            if (isZeroOrDenormal(b)) {
                fg = true;
            }
        }
        return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
    }
}
