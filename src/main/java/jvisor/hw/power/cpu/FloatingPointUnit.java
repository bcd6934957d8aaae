package jvisor.hw.power.cpu;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import jvisor.hw.power.cpu.fpu.FloatStatus;
import jvisor.hw.power.cpu.fpu.Fpscr;
import jvisor.hw.power.cpu.fpu.Precision;

/**
 * What every floating-point instruction shares: its register fields, the FPSCR state its
 * operation starts from, and how its exceptions end it (ISA 3.0B Book I 4.4): sticky exception
 * bits and FX, FR/FI/FPRF, the target left unchanged by an enabled invalid-operation or
 * zero-divide exception, CR1 for record forms, and the floating-point enabled exception program
 * interrupt when MSR[FE0 FE1] is not 0b00.
 */
final class FloatingPointUnit {
    private FloatingPointUnit() {
    }

    static int frt(int w) {
        return (w >>> 21) & 31;
    }

    static int fra(int w) {
        return (w >>> 16) & 31;
    }

    static int frb(int w) {
        return (w >>> 11) & 31;
    }

    static int frc(int w) {
        return (w >>> 6) & 31;
    }

    /** The condition register field of X-form compares and moves (bits 6:8). */
    static int bf(int w) {
        return (w >>> 23) & 7;
    }

    static long fpr(Core c, int i) {
        return c.vs.vsr[2 * i];
    }

    /** The operation environment of the instruction about to run: RN, OE, UE from FPSCR, no flags. */
    static FloatStatus status(Core c) {
        return c.vs.status.reset(c.vs.fpscr);
    }

    /** FPRF is left as it was (conversions to integer, whose FPRF the ISA leaves undefined). */
    static final Precision KEEP_FPRF = null;

    /**
     * Ends an instruction that computed {@code result} for FRT with the flags in {@code st}:
     * FR and FI always take this operation's values; FPRF describes the result as a value of
     * {@code fprf} (or stays, for {@link #KEEP_FPRF}); an enabled invalid-operation or zero-divide
     * exception leaves FRT and FPRF unchanged and FR, FI clear.
     */
    static int complete(Core c, int w, long result, FloatStatus st, Precision fprf) {
        return completeAt(c, w, 2 * frt(w), false, result, result, st, fprf);
    }

    /**
     * {@link #complete} for a VSX scalar result: doubleword 0 of the VSR whose doubleword 0 is
     * {@code vsr[t]}, doubleword 1 set to zero (the ISA leaves it undefined; POWER9 and QEMU
     * clear it). VSX forms have no Rc.
     */
    static int completeVsx(Core c, int t, long result, FloatStatus st, Precision fprf) {
        return completeAt(c, 0, t, true, result, result, st, fprf);
    }

    /**
     * {@link #completeVsx} for a result whose register image differs from the value FPRF
     * describes (xscvdpsp, xscvdphp: the single or half format in doubleword 0): {@code image}
     * goes to doubleword 0, FPRF describes {@code value} (in double format) as a value of {@code fprf}.
     */
    static int completeVsx(Core c, int t, long image, long value, FloatStatus st, Precision fprf) {
        return completeAt(c, 0, t, true, image, value, st, fprf);
    }

    /**
     * {@link #completeVsx} for a quad-precision result (ISA 3.0B 7.6.1, xsaddqp ...): both
     * doublewords of VSR {@code t/2}; FPRF from the quad value's class when {@code setFprf}.
     */
    static int completeQuad(Core c, int t, long hi, long lo, FloatStatus st, boolean setFprf) {
        int flags = st.flags;
        long old = c.vs.fpscr;
        long f = old & ~(long) (Fpscr.FR | Fpscr.FI);
        if (!suppressed(old, flags)) {
            c.vs.vsr[t] = hi;
            c.vs.vsr[t + 1] = lo;
            f |= flags & (Fpscr.FR | Fpscr.FI);
            if (setFprf) {
                f = (f & ~(long) Fpscr.FPRF) | (long) jvisor.hw.power.cpu.fpu.Binary128.fprfClass(hi, lo) << 12;
            }
        }
        return raise(c, 0, f, flags);
    }

    /** Whether an enabled invalid-operation or zero-divide exception among {@code flags} keeps the target unchanged. */
    private static boolean suppressed(long fpscr, int flags) {
        return ((flags & Fpscr.VX_CAUSES) != 0 && (fpscr & Fpscr.VE) != 0)
                || ((flags & Fpscr.ZX) != 0 && (fpscr & Fpscr.ZE) != 0);
    }

    /**
     * Ends a VSX vector instruction (ISA 3.0B 7.4): the exceptions of every element are merged
     * into the FPSCR; FR, FI and FPRF are not changed; an enabled invalid-operation or zero-divide
     * exception in any element leaves all of XT unchanged.
     */
    static int completeVector(Core c, int t, long hi, long lo, FloatStatus st) {
        long old = c.vs.fpscr;
        if (!suppressed(old, st.flags)) {
            c.vs.vsr[t] = hi;
            c.vs.vsr[t + 1] = lo;
        }
        return raise(c, 0, old, st.flags);
    }

    private static int completeAt(Core c, int w, int t, boolean clearLow, long image, long result, FloatStatus st,
                                  Precision fprf) {
        int flags = st.flags;
        long old = c.vs.fpscr;
        long f = old & ~(long) (Fpscr.FR | Fpscr.FI);
        if (!suppressed(old, flags)) {
            c.vs.vsr[t] = image;
            if (clearLow) c.vs.vsr[t + 1] = 0;
            f |= flags & (Fpscr.FR | Fpscr.FI);
            if (fprf != null) {
                f = (f & ~(long) Fpscr.FPRF) | Fpscr.fprf(result, fprf);
            }
        }
        return raise(c, w, f, flags);
    }

    /**
     * Merges the exception bits an instruction raised into the FPSCR value {@code f} (FX when
     * one of them goes from 0 to 1, then VX and FEX), stores it, sets CR1 for a record form, and
     * takes the enabled-exception program interrupt when one of the raised exceptions is enabled
     * and MSR[FE0 FE1] is not 0b00 (SRR0 = this instruction).
     */
    static int raise(Core c, int w, long f, int flags) {
        int raised = flags & Fpscr.EXCEPTIONS;
        if ((raised & ~(int) f) != 0) {
            f |= Fpscr.FX & 0xFFFF_FFFFL;
        }
        f = Fpscr.withSummaries(f | raised);
        c.vs.fpscr = f;
        if ((w & 1) != 0) {
            c.cr = ConditionRegister.withField(c.cr, 1, Fpscr.cr1(f));
        }
        return enabledInterrupt(c, Fpscr.enabledExceptions((f & ~(long) Fpscr.EXCEPTIONS) | raised));
    }

    /** The program interrupt for enabled exceptions {@code enabled}, if any and MSR[FE0 FE1] allow it. */
    static int enabledInterrupt(Core c, int enabled) {
        if (enabled != 0 && (c.msr & (Msr.FE0 | Msr.FE1)) != 0) {
            return c.interrupts.program(Srr1.FP_ENABLED);
        }
        return Core.OK;
    }

    /**
     * After mtmsr(d) changed the MSR from {@code oldMsr}: when it turned MSR[FE0 FE1] from 0b00 to
     * something else while FPSCR[FEX] is 1, the enabled exception recorded in ignore mode is taken
     * now, with SRR0 = the next instruction (ISA 3.0B Book III 7.5.9, Program interrupt). rfid is
     * left out: a handler returning to code whose FPSCR still has FEX would interrupt again at
     * once, and neither QEMU nor the kernels that set FE0/FE1 through SRR1 expect that.
     */
    static int exceptionsEnabled(Core c, long oldMsr) {
        long fe = Msr.FE0 | Msr.FE1;
        if ((oldMsr & fe) == 0 && (c.msr & fe) != 0 && (c.vs.fpscr & Fpscr.FEX) != 0) {
            return c.interrupts.raise(InterruptVector.PROGRAM, c.pc, Srr1.FP_ENABLED);
        }
        return Core.OK;
    }

    /** Sets CR1 from the FPSCR for a record form of an instruction that does not touch the FPSCR. */
    static int record(Core c, int w) {
        if ((w & 1) != 0) {
            c.cr = ConditionRegister.withField(c.cr, 1, Fpscr.cr1(c.vs.fpscr));
        }
        return Core.OK;
    }
}
