package jvisor.hw.power.cpu.fpu;

/**
 * The Floating-Point Status and Control Register (ISA 3.0B Book I 4.2.2) as masks over its low
 * word (FPSCR bits 32:63 in the ISA's numbering, where bit 63 is the least significant), plus the
 * decimal rounding mode DRN in bits 29:31 of the 64-bit register. The exception bits are sticky:
 * an instruction only sets them; FX records that one went from 0 to 1; VX and FEX are summaries
 * recomputed from the others.
 */
public final class Fpscr {
    private Fpscr() {
    }

    /** Exception summary (32): some exception bit went from 0 to 1. */
    public static final int FX = 1 << 31;
    /** Enabled exception summary (33): OR of every exception bit ANDed with its enable. */
    public static final int FEX = 1 << 30;
    /** Invalid operation summary (34): OR of the VX* bits. */
    public static final int VX = 1 << 29;
    public static final int OX = 1 << 28, UX = 1 << 27, ZX = 1 << 26, XX = 1 << 25;
    public static final int VXSNAN = 1 << 24, VXISI = 1 << 23, VXIDI = 1 << 22, VXZDZ = 1 << 21, VXIMZ = 1 << 20,
            VXVC = 1 << 19;
    /** Fraction rounded (45): the last arithmetic result was rounded up in magnitude. */
    public static final int FR = 1 << 18;
    /** Fraction inexact (46): the last arithmetic result was inexact or overflowed. */
    public static final int FI = 1 << 17;
    /** Result flags (47:51): class bit C and the condition code FL FG FE FU. */
    public static final int FPRF = 0x1F << 12, FPCC = 0xF << 12, C = 1 << 16;
    public static final int FL = 1 << 15, FG = 1 << 14, FE = 1 << 13, FU = 1 << 12;
    public static final int VXSOFT = 1 << 10, VXSQRT = 1 << 9, VXCVI = 1 << 8;
    /** Enables (56:60). */
    public static final int VE = 1 << 7, OE = 1 << 6, UE = 1 << 5, ZE = 1 << 4, XE = 1 << 3;
    /** Non-IEEE mode (61): implementation-dependent; POWER9 (as QEMU) computes IEEE results regardless. */
    public static final int NI = 1 << 2;
    /** Binary rounding mode (62:63). */
    public static final int RN = 3;
    /** Decimal rounding mode, FPSCR bits 29:31. */
    public static final long DRN = 7L << 32;

    /** FPSCR[RN] values. */
    public static final int ROUND_NEAREST = 0, ROUND_TOWARD_ZERO = 1, ROUND_UP = 2, ROUND_DOWN = 3;

    /** The invalid-operation exception bits. */
    public static final int VX_CAUSES = VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
    /** Every sticky exception bit whose change from 0 to 1 sets FX. */
    public static final int EXCEPTIONS = OX | UX | ZX | XX | VX_CAUSES;
    /** The five enables. */
    public static final int ENABLES = VE | OE | UE | ZE | XE;
    /** The bits the architecture defines; others read as 0. */
    public static final long DEFINED = DRN | 0xFFFF_F7FFL;

    /** FPRF codes of the result classes (C FL FG FE FU, ISA Figure 4-?: "Floating-Point Result Flags"). */
    public static final int CLASS_QNAN = 0x11, CLASS_NEG_INF = 0x09, CLASS_NEG_NORMAL = 0x08, CLASS_NEG_DENORMAL = 0x18,
            CLASS_NEG_ZERO = 0x12, CLASS_POS_ZERO = 0x02, CLASS_POS_DENORMAL = 0x14, CLASS_POS_NORMAL = 0x04,
            CLASS_POS_INF = 0x05;

    /**
     * The FPRF field (already shifted into place) describing {@code bits}, a value in double
     * format, as a value of precision {@code p}: a single-precision result whose exponent is below
     * single's normal range is denormalized although its double representation is normal.
     */
    public static int fprf(long bits, Precision p) {
        boolean neg = bits < 0;
        int biased = (int) (bits >>> 52) & 0x7FF;
        long frac = bits & Binary64.FRACTION;
        int code;
        if (biased == 0x7FF) {
            code = frac != 0 ? CLASS_QNAN : neg ? CLASS_NEG_INF : CLASS_POS_INF;
        } else if (biased == 0 && frac == 0) {
            code = neg ? CLASS_NEG_ZERO : CLASS_POS_ZERO;
        } else if (biased - Binary64.BIAS < p.emin) {
            code = neg ? CLASS_NEG_DENORMAL : CLASS_POS_DENORMAL;
        } else {
            code = neg ? CLASS_NEG_NORMAL : CLASS_POS_NORMAL;
        }
        return code << 12;
    }

    /** {@code fpscr} with VX and FEX recomputed from the exception and enable bits. */
    public static long withSummaries(long fpscr) {
        int low = (int) fpscr & ~(VX | FEX);
        if ((low & VX_CAUSES) != 0) {
            low |= VX;
        }
        if ((enabledExceptions(low)) != 0) {
            low |= FEX;
        }
        return (fpscr & ~0xFFFF_FFFFL) | (low & 0xFFFF_FFFFL);
    }

    /**
     * The exceptions among {@code bits} whose enable is set in {@code fpscr}: any VX cause with
     * VE, OX with OE, UX with UE, ZX with ZE, XX with XE.
     */
    public static int enabledExceptions(long fpscrLow) {
        int f = (int) fpscrLow;
        int r = 0;
        if ((f & VX_CAUSES) != 0 && (f & VE) != 0) r |= f & VX_CAUSES;
        if ((f & OX) != 0 && (f & OE) != 0) r |= OX;
        if ((f & UX) != 0 && (f & UE) != 0) r |= UX;
        if ((f & ZX) != 0 && (f & ZE) != 0) r |= ZX;
        if ((f & XX) != 0 && (f & XE) != 0) r |= XX;
        return r;
    }

    /** FPSCR[FX FEX VX OX], the value a record form (Rc=1) puts in CR1. */
    public static int cr1(long fpscr) {
        return (int) (fpscr >>> 28) & 0xF;
    }
}
