package jvisor.hw.power.cpu.fpu;

/**
 * The environment of one floating-point operation: what it reads from the FPSCR (rounding mode,
 * whether overflow and underflow are enabled, which changes the result delivered) and the
 * exceptions it raises, as {@link Fpscr} bits (VX causes, OX, UX, ZX, XX, and FR, FI). One per
 * hardware thread, reset before each instruction; not thread-safe.
 */
public final class FloatStatus {
    /** FPSCR[RN]: {@link Fpscr#ROUND_NEAREST} ... {@link Fpscr#ROUND_DOWN}. */
    public int roundingMode;
    /** FPSCR[OE]: an overflowing result is delivered with its exponent reduced by the precision's adjust. */
    public boolean overflowEnabled;
    /** FPSCR[UE]: a tiny result is delivered with its exponent raised by the precision's adjust. */
    public boolean underflowEnabled;
    /** The exception, FR and FI bits the operation raised. */
    public int flags;

    /** Takes RN, OE and UE from {@code fpscr} and clears the flags. */
    public FloatStatus reset(long fpscr) {
        roundingMode = (int) fpscr & Fpscr.RN;
        overflowEnabled = (fpscr & Fpscr.OE) != 0;
        underflowEnabled = (fpscr & Fpscr.UE) != 0;
        flags = 0;
        return this;
    }

    /** Round to nearest even, overflow and underflow disabled, no flags. */
    public FloatStatus reset(int mode) {
        roundingMode = mode;
        overflowEnabled = false;
        underflowEnabled = false;
        flags = 0;
        return this;
    }

    /** Whether the operation raised an invalid-operation exception. */
    public boolean invalid() {
        return (flags & Fpscr.VX_CAUSES) != 0;
    }
}
