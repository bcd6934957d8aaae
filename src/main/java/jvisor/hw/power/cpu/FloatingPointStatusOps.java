package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointUnit.bf;
import static jvisor.hw.power.cpu.FloatingPointUnit.fpr;
import static jvisor.hw.power.cpu.FloatingPointUnit.frb;
import static jvisor.hw.power.cpu.FloatingPointUnit.frt;

import jvisor.hw.power.cpu.fpu.Fpscr;

/**
 * Moves to and from the FPSCR (ISA 3.0B Book I 4.6.10): mffs and the ISA 3.0 variants that also
 * set a rounding mode or clear the enables, mtfsf, mtfsfi, mtfsb0, mtfsb1, mcrfs. FEX and VX are
 * never written directly: they are recomputed from the other bits. An FPSCR left with an enabled
 * exception raises the floating-point enabled exception program interrupt when MSR[FE0 FE1] is
 * not 0b00, as the arithmetic instructions do.
 */
final class FloatingPointStatusOps {
    private FloatingPointStatusOps() {
    }

    /** The control fields mffscdrn, mffscrn and friends return: DRN, the enables, NI, RN. */
    static final long MODE = Fpscr.DRN | Fpscr.ENABLES | Fpscr.NI | Fpscr.RN;
    /** The status fields mffsl returns besides {@link #MODE}: FR, FI, FPRF. */
    static final long STATUS = Fpscr.FR | Fpscr.FI | Fpscr.FPRF;

    /** Stores a new FPSCR, sets CR1 for a record form, and interrupts if an exception is enabled. */
    private static int store(Core c, int w, long f) {
        f = Fpscr.withSummaries(f & Fpscr.DEFINED);
        c.vs.fpscr = f;
        if ((w & 1) != 0) {
            c.cr = ConditionRegister.withField(c.cr, 1, Fpscr.cr1(f));
        }
        return FloatingPointUnit.enabledInterrupt(c, Fpscr.enabledExceptions(f));
    }

    static int mffs(Core c, int w) {
        c.vs.vsr[2 * frt(w)] = c.vs.fpscr;
        return FloatingPointUnit.record(c, w);
    }

    /** mffsce: mffs, then the five enables cleared. */
    static int mffsce(Core c, int w) {
        long f = c.vs.fpscr;
        c.vs.vsr[2 * frt(w)] = f;
        c.vs.fpscr = Fpscr.withSummaries(f & ~(long) Fpscr.ENABLES);
        return Core.OK;
    }

    static int mffsl(Core c, int w) {
        c.vs.vsr[2 * frt(w)] = c.vs.fpscr & (MODE | STATUS);
        return Core.OK;
    }

    /** mffscdrn: the control fields, then DRN from FRB[29:31]. */
    static int mffscdrn(Core c, int w) {
        return replaceMode(c, w, Fpscr.DRN, fpr(c, frb(w)) & Fpscr.DRN);
    }

    /** mffscdrni: the control fields, then DRN from the DRM field (bits 18:20). */
    static int mffscdrni(Core c, int w) {
        return replaceMode(c, w, Fpscr.DRN, (long) ((w >>> 11) & 7) << 32);
    }

    /** mffscrn: the control fields, then RN from FRB[62:63]. */
    static int mffscrn(Core c, int w) {
        return replaceMode(c, w, Fpscr.RN, fpr(c, frb(w)) & Fpscr.RN);
    }

    /** mffscrni: the control fields, then RN from the RM field (bits 19:20). */
    static int mffscrni(Core c, int w) {
        return replaceMode(c, w, Fpscr.RN, (w >>> 11) & 3);
    }

    private static int replaceMode(Core c, int w, long field, long value) {
        long f = c.vs.fpscr;
        c.vs.vsr[2 * frt(w)] = f & MODE;
        c.vs.fpscr = (f & ~field) | value;
        return Core.OK;
    }

    /**
     * mtfsf FLM,FRB,L,W: with L=1 the whole FPSCR from FRB; otherwise each field i whose FLM bit
     * is set (FLM bit 0 = field 0) gets FRB's field i + 8 * (1 - W) of the 16 four-bit fields.
     */
    static int mtfsf(Core c, int w) {
        long frb = fpr(c, frb(w));
        long f = c.vs.fpscr;
        if ((w & (1 << 25)) != 0) {
            f = frb;
        } else {
            int flm = (w >>> 17) & 0xFF;
            int base = (w & (1 << 16)) != 0 ? 0 : 8;
            for (int i = 0; i < 8; i++) {
                if ((flm & (0x80 >>> i)) != 0) {
                    long m = 0xFL << (60 - 4 * (base + i));
                    f = (f & ~m) | (frb & m);
                }
            }
        }
        return store(c, w, f);
    }

    /** mtfsfi BF,U,W: field BF + 8 * (1 - W) gets U. */
    static int mtfsfi(Core c, int w) {
        int field = bf(w) + ((w & (1 << 16)) != 0 ? 0 : 8);
        long m = 0xFL << (60 - 4 * field);
        long u = (long) ((w >>> 12) & 0xF) << (60 - 4 * field);
        return store(c, w, (c.vs.fpscr & ~m) | u);
    }

    /** FPSCR bit BT + 32 as a mask over the low word. */
    private static long bit(int w) {
        return 1L << (31 - ((w >>> 21) & 31));
    }

    static int mtfsb0(Core c, int w) {
        return store(c, w, c.vs.fpscr & ~bit(w));
    }

    /** mtfsb1: sets the bit, and FX when it is an exception bit that was 0. */
    static int mtfsb1(Core c, int w) {
        long f = c.vs.fpscr;
        long b = bit(w);
        if ((b & Fpscr.EXCEPTIONS) != 0 && (f & b) == 0) {
            f |= Fpscr.FX & 0xFFFF_FFFFL;
        }
        return store(c, w, f | b);
    }

    /** mcrfs BF,BFA: CR field BF from FPSCR field BFA (of bits 32:63), whose exception bits are then cleared. */
    static int mcrfs(Core c, int w) {
        int bfa = (w >>> 18) & 7;
        long f = c.vs.fpscr;
        int shift = 28 - 4 * bfa;
        c.cr = ConditionRegister.withField(c.cr, bf(w), (int) (f >>> shift) & 0xF);
        long cleared = (0xFL << shift) & ((Fpscr.EXCEPTIONS | Fpscr.FX) & 0xFFFF_FFFFL);
        return store(c, w & ~1, f & ~cleared);
    }
}
