package jvisor.hw.power.cpu.fpu;

/**
 * A precision results are rounded to. Floating-point registers hold every value in double format;
 * single-precision instructions round to 24 bits and single's exponent range and store the result
 * in double format (ISA 3.0B Book I 4.3.5.1).
 */
public enum Precision {
    DOUBLE(53, -1022, 1023, 1536, 0x7FEF_FFFF_FFFF_FFFFL),
    SINGLE(24, -126, 127, 192, 0x47EF_FFFF_E000_0000L),
    /** IEEE binary16, the format of xscvdphp and xvcvsphp (ISA 3.0B 7.6.1); its adjust is 3/4 of 2^5. */
    HALF(11, -14, 15, 24, 0x40EF_FC00_0000_0000L);

    /** Significand bits, the implicit one included. */
    public final int bits;
    /** Exponent of the smallest normalized number and of the largest finite one. */
    public final int emin, emax;
    /**
     * The exponent adjustment of an enabled overflow or underflow: the result delivered is the
     * rounded result divided (overflow) or multiplied (underflow) by 2^adjust (ISA 4.4.3, 4.4.4).
     */
    public final int adjust;
    /** The largest finite value, in double format. */
    public final long maxFinite;

    Precision(int bits, int emin, int emax, int adjust, long maxFinite) {
        this.bits = bits;
        this.emin = emin;
        this.emax = emax;
        this.adjust = adjust;
        this.maxFinite = maxFinite;
    }
}
