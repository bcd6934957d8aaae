package jvisor.hw.power.cpu;

/**
 * The fixed bits of an instruction form: a word {@code w} is this encoding when
 * {@code (w & mask) == match}. Bits are numbered as the ISA numbers them, 0 the most significant
 * of the 32-bit word, and built field by field from the primary opcode:
 * {@code Encoding.of(63).bits(26, 30, 21)} is A-form fadd.
 *
 * @param match the values of the fixed bits
 * @param mask  which bits are fixed
 */
public record Encoding(int match, int mask) {

    /** The primary opcode (bits 0:5). */
    public static Encoding of(int primary) {
        if (primary < 0 || primary > 63) throw new IllegalArgumentException("primary opcode " + primary);
        return new Encoding(primary << 26, 0xFC00_0000);
    }

    /** Fixes bits {@code first..last} (ISA numbering, inclusive) to {@code value}. */
    public Encoding bits(int first, int last, int value) {
        if (first < 0 || last > 31 || first > last) throw new IllegalArgumentException("bits " + first + ":" + last);
        int width = last - first + 1, shift = 31 - last;
        int fieldMask = (int) ((1L << width) - 1);
        if ((value & ~fieldMask) != 0) throw new IllegalArgumentException(value + " does not fit bits " + first + ":" + last);
        int m = fieldMask << shift;
        if ((mask & m) != 0) throw new IllegalArgumentException("bits " + first + ":" + last + " are already fixed");
        return new Encoding(match | (value << shift), mask | m);
    }

    /** Fixes one bit. */
    public Encoding bit(int n, int value) {
        return bits(n, n, value);
    }

    public boolean matches(int word) {
        return (word & mask) == match;
    }

    /** Whether some word is both this encoding and {@code other}. */
    public boolean overlaps(Encoding other) {
        return ((match ^ other.match) & mask & other.mask) == 0;
    }

    // The extended-opcode fields of the common forms.

    /** X-form (and XFX, XFL, XS with their own widths): extended opcode in bits 21:30. */
    public static Encoding x(int primary, int xo) {
        return of(primary).bits(21, 30, xo);
    }

    /** XO-form: extended opcode in bits 22:30 (OE at 21 and Rc at 31 stay free). */
    public static Encoding xo(int primary, int xo) {
        return of(primary).bits(22, 30, xo);
    }

    /** A-form: extended opcode in bits 26:30. */
    public static Encoding a(int primary, int xo) {
        return of(primary).bits(26, 30, xo);
    }

    /** DS-form: extended opcode in bits 30:31. */
    public static Encoding ds(int primary, int xo) {
        return of(primary).bits(30, 31, xo);
    }

    /** DQ-form loads and stores of VSX: extended opcode in bits 29:31. */
    public static Encoding dq(int primary, int xo) {
        return of(primary).bits(29, 31, xo);
    }

    /** VA-form: extended opcode in bits 26:31. */
    public static Encoding va(int primary, int xo) {
        return of(primary).bits(26, 31, xo);
    }

    /** VX-form: extended opcode in bits 21:31. */
    public static Encoding vx(int primary, int xo) {
        return of(primary).bits(21, 31, xo);
    }

    /** VC-form (vector compares): extended opcode in bits 22:31, Rc in bit 21. */
    public static Encoding vc(int primary, int xo) {
        return of(primary).bits(22, 31, xo);
    }

    /** XX1-form: extended opcode in bits 21:30 (TX in bit 31). */
    public static Encoding xx1(int primary, int xo) {
        return of(primary).bits(21, 30, xo);
    }

    /** XX2-form: extended opcode in bits 21:29 (BX, TX in 30, 31). */
    public static Encoding xx2(int primary, int xo) {
        return of(primary).bits(21, 29, xo);
    }

    /** XX3-form: extended opcode in bits 21:28 (AX, BX, TX in 29..31). */
    public static Encoding xx3(int primary, int xo) {
        return of(primary).bits(21, 28, xo);
    }

    /** XX3-form with Rc in bit 21: extended opcode in bits 22:28. */
    public static Encoding xx3rc(int primary, int xo) {
        return of(primary).bits(22, 28, xo);
    }

    /** XX4-form: extended opcode in bits 26:27. */
    public static Encoding xx4(int primary, int xo) {
        return of(primary).bits(26, 27, xo);
    }
}
