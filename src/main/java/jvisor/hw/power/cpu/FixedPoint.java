package jvisor.hw.power.cpu;

import jvisor.hw.power.Srr1;

/**
 * Fixed-point arithmetic, logical, compare and count instructions (Book I chapter 3).
 *
 * <p>XER rules: carrying forms set CA from the 64-bit carry in 64-bit mode and from the carry out
 * of the low word in 32-bit mode, and CA32 always from the low word; OE forms likewise set OV and
 * OV32, and SO accumulates OV. Results the ISA leaves undefined (division by zero, overflowing
 * quotients, the high word of 32-bit products and quotients) are 0 for invalid divisions and the
 * zero-extended 32-bit value otherwise.
 */
final class FixedPoint {
    private FixedPoint() {
    }

    static int rt(int w) {
        return (w >>> 21) & 31;
    }

    static int ra(int w) {
        return (w >>> 16) & 31;
    }

    static int rb(int w) {
        return (w >>> 11) & 31;
    }

    static boolean rc(int w) {
        return (w & 1) != 0;
    }

    static boolean oe(int w) {
        return (w & 0x400) != 0;
    }

    private static long raOrZero(Core c, int w) {
        int a = ra(w);
        return a == 0 ? 0 : c.gpr[a];
    }

    // ---- XER helpers ----

    static void setCa(Core c, long a, long b, long sum) {
        long carries = carries(a, b, sum);
        c.ca32 = (int) (carries >>> 31) & 1;
        c.ca = c.is64() ? (int) (carries >>> 63) : c.ca32;
    }

    /**
     * The carry out of each bit of a + b (+ a carry in) that came to {@code sum}: bit 63 is CA in
     * 64-bit mode, bit 31 CA32 (and CA in 32-bit mode). Translated code uses it too.
     */
    static long carries(long a, long b, long sum) {
        return (a & b) | ((a | b) & ~sum);
    }

    /**
     * a + b + cin with CA and CA32 set from the carries: the arithmetic of the carrying adds and
     * subtracts (subtracting is ~a + b + 1), for their bodies and for translated code, which keeps
     * the GPRs itself.
     */
    static long carrying(Core c, long a, long b, long cin) {
        long s = a + b + cin;
        setCa(c, a, b, s);
        return s;
    }

    static void setOvAdd(Core c, long a, long b, long sum) {
        long v = (a ^ sum) & (b ^ sum);
        c.ov32 = (int) (v >>> 31) & 1;
        c.ov = c.is64() ? (int) (v >>> 63) : c.ov32;
        c.so |= c.ov;
    }

    static void setOv(Core c, boolean overflow) {
        int v = overflow ? 1 : 0;
        c.ov = v;
        c.ov32 = v;
        c.so |= v;
    }

    private static int result(Core c, int w, long value) {
        c.gpr[rt(w)] = value;
        if (rc(w)) {
            c.recordCr0(value);
        }
        return Core.OK;
    }

    /** RT = a + b + cin with optional CA, OV (OE) and CR0 (Rc). */
    private static int addForm(Core c, int w, long a, long b, long cin, boolean carrying) {
        long s = carrying ? carrying(c, a, b, cin) : a + b + cin;
        if (oe(w)) {
            setOvAdd(c, a, b, s);
        }
        return result(c, w, s);
    }

    // ---- immediates ----

    static int addi(Core c, int w) {
        c.gpr[rt(w)] = raOrZero(c, w) + (short) w;
        return Core.OK;
    }

    static int addis(Core c, int w) {
        c.gpr[rt(w)] = raOrZero(c, w) + ((long) (short) w << 16);
        return Core.OK;
    }

    static int addic(Core c, int w, boolean record) {
        long s = carrying(c, c.gpr[ra(w)], (short) w, 0);
        c.gpr[rt(w)] = s;
        if (record) {
            c.recordCr0(s);
        }
        return Core.OK;
    }

    static int subfic(Core c, int w) {
        c.gpr[rt(w)] = carrying(c, ~c.gpr[ra(w)], (short) w, 1);
        return Core.OK;
    }

    static int mulli(Core c, int w) {
        c.gpr[rt(w)] = c.gpr[ra(w)] * (short) w;
        return Core.OK;
    }

    static int addpcis(Core c, int w) {
        int d = (((w >>> 6) & 0x3FF) << 6) | (((w >>> 16) & 31) << 1) | (w & 1);
        c.gpr[rt(w)] = (c.pc + ((long) (short) d << 16)) & c.addrMask;
        return Core.OK;
    }

    // ---- add / subtract ----

    static int add(Core c, int w) {
        return addForm(c, w, c.gpr[ra(w)], c.gpr[rb(w)], 0, false);
    }

    static int addc(Core c, int w) {
        return addForm(c, w, c.gpr[ra(w)], c.gpr[rb(w)], 0, true);
    }

    static int adde(Core c, int w) {
        return addForm(c, w, c.gpr[ra(w)], c.gpr[rb(w)], c.ca, true);
    }

    static int addme(Core c, int w) {
        return addForm(c, w, c.gpr[ra(w)], -1L, c.ca, true);
    }

    static int addze(Core c, int w) {
        return addForm(c, w, c.gpr[ra(w)], 0, c.ca, true);
    }

    static int subf(Core c, int w) {
        return addForm(c, w, ~c.gpr[ra(w)], c.gpr[rb(w)], 1, false);
    }

    static int subfc(Core c, int w) {
        return addForm(c, w, ~c.gpr[ra(w)], c.gpr[rb(w)], 1, true);
    }

    static int subfe(Core c, int w) {
        return addForm(c, w, ~c.gpr[ra(w)], c.gpr[rb(w)], c.ca, true);
    }

    static int subfme(Core c, int w) {
        return addForm(c, w, ~c.gpr[ra(w)], -1L, c.ca, true);
    }

    static int subfze(Core c, int w) {
        return addForm(c, w, ~c.gpr[ra(w)], 0, c.ca, true);
    }

    static int neg(Core c, int w) {
        return addForm(c, w, ~c.gpr[ra(w)], 0, 1, false);
    }

    /** addex with CY=0: OV is the carry in and receives the carry out (OV32 the low word's). */
    static int addex(Core c, int w) {
        if (((w >>> 9) & 3) != 0) {
            return c.interrupts.illegal();
        }
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)], s = a + b + c.ov;
        long carries = (a & b) | ((a | b) & ~s);
        c.ov32 = (int) (carries >>> 31) & 1;
        c.ov = c.is64() ? (int) (carries >>> 63) : c.ov32;
        c.gpr[rt(w)] = s;
        return Core.OK;
    }

    // ---- multiply ----

    static int mullw(Core c, int w) {
        long p = (long) (int) c.gpr[ra(w)] * (int) c.gpr[rb(w)];
        if (oe(w)) {
            setOv(c, p != (int) p);
        }
        return result(c, w, p);
    }

    static int mulld(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)], lo = a * b;
        if (oe(w)) {
            setOv(c, Math.multiplyHigh(a, b) != (lo >> 63));
        }
        return result(c, w, lo);
    }

    static int mulhw(Core c, int w) {
        long p = (long) (int) c.gpr[ra(w)] * (int) c.gpr[rb(w)];
        return result(c, w, p >>> 32);
    }

    static int mulhwu(Core c, int w) {
        long p = (c.gpr[ra(w)] & 0xFFFF_FFFFL) * (c.gpr[rb(w)] & 0xFFFF_FFFFL);
        return result(c, w, p >>> 32);
    }

    static int mulhd(Core c, int w) {
        return result(c, w, Math.multiplyHigh(c.gpr[ra(w)], c.gpr[rb(w)]));
    }

    static int mulhdu(Core c, int w) {
        return result(c, w, Math.unsignedMultiplyHigh(c.gpr[ra(w)], c.gpr[rb(w)]));
    }

    private static int rcField(int w) {
        return (w >>> 6) & 31;
    }

    static int maddhd(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)], addend = c.gpr[rcField(w)];
        long lo = a * b, hi = Math.multiplyHigh(a, b);
        long sum = lo + addend;
        long carry = Long.compareUnsigned(sum, lo) < 0 ? 1 : 0;
        c.gpr[rt(w)] = hi + (addend >> 63) + carry;
        return Core.OK;
    }

    static int maddhdu(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)], addend = c.gpr[rcField(w)];
        long lo = a * b, hi = Math.unsignedMultiplyHigh(a, b);
        long sum = lo + addend;
        c.gpr[rt(w)] = hi + (Long.compareUnsigned(sum, lo) < 0 ? 1 : 0);
        return Core.OK;
    }

    static int maddld(Core c, int w) {
        c.gpr[rt(w)] = c.gpr[ra(w)] * c.gpr[rb(w)] + c.gpr[rcField(w)];
        return Core.OK;
    }

    // ---- divide / modulo ----

    private static int quotient(Core c, int w, boolean invalid, long value) {
        if (oe(w)) {
            setOv(c, invalid);
        }
        return result(c, w, invalid ? 0 : value);
    }

    static int divw(Core c, int w) {
        int a = (int) c.gpr[ra(w)], b = (int) c.gpr[rb(w)];
        boolean bad = b == 0 || (a == Integer.MIN_VALUE && b == -1);
        return quotient(c, w, bad, bad ? 0 : (a / b) & 0xFFFF_FFFFL);
    }

    static int divwu(Core c, int w) {
        int a = (int) c.gpr[ra(w)], b = (int) c.gpr[rb(w)];
        boolean bad = b == 0;
        return quotient(c, w, bad, bad ? 0 : Integer.divideUnsigned(a, b) & 0xFFFF_FFFFL);
    }

    static int divd(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)];
        boolean bad = b == 0 || (a == Long.MIN_VALUE && b == -1);
        return quotient(c, w, bad, bad ? 0 : a / b);
    }

    static int divdu(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)];
        boolean bad = b == 0;
        return quotient(c, w, bad, bad ? 0 : Long.divideUnsigned(a, b));
    }

    /** divwe: (RA low word || 32 zeros) / EXTS(RB low word); the quotient must fit in 32 bits. */
    static int divwe(Core c, int w) {
        long dividend = c.gpr[ra(w)] << 32;
        long divisor = (int) c.gpr[rb(w)];
        boolean bad = divisor == 0 || (dividend == Long.MIN_VALUE && divisor == -1);
        long q = bad ? 0 : dividend / divisor;
        bad |= q != (int) q;
        return quotient(c, w, bad, q & 0xFFFF_FFFFL);
    }

    static int divweu(Core c, int w) {
        long a = c.gpr[ra(w)] & 0xFFFF_FFFFL, b = c.gpr[rb(w)] & 0xFFFF_FFFFL;
        boolean bad = a >= b; // covers b == 0; otherwise the quotient fits in 32 bits
        return quotient(c, w, bad, bad ? 0 : Long.divideUnsigned(a << 32, b));
    }

    /** Unsigned (hi || 64 zeros) / d for hi < d (unsigned): restoring division, one bit per step. */
    static long divideExtended(long hi, long d) {
        long rem = hi, q = 0;
        for (int i = 0; i < 64; i++) {
            boolean top = rem < 0;
            rem <<= 1;
            q <<= 1;
            if (top || Long.compareUnsigned(rem, d) >= 0) {
                rem -= d;
                q |= 1;
            }
        }
        return q;
    }

    static int divdeu(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)];
        boolean bad = Long.compareUnsigned(a, b) >= 0;
        return quotient(c, w, bad, bad ? 0 : divideExtended(a, b));
    }

    /**
     * divde: (RA || 64 zeros) / RB, both signed. As the ISA (v3.0B) and POWER9: the division
     * overflows when RB is 0 or when the quotient is outside [-2^63, 2^63); RT and CR0[LT,GT,EQ]
     * are then undefined (jvisor writes 0) and OE=1 sets OV and OV32.
     *
     * <p>QEMU 10 differs in one corner: it counts only RB = 0 and |RA| >= |RB| as overflow, so for
     * |RA| < |RB| with a quotient of magnitude 2^63 or more (1 / 2, 3 / -5) it clears OV and OV32.
     * jvisor follows the architecture there; the instruction exerciser leaves those bits out.
     */
    static int divde(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)];
        long ua = Math.abs(a), ub = Math.abs(b); // magnitudes read as unsigned (|MIN| stays 2^63)
        boolean bad = b == 0 || Long.compareUnsigned(ua, ub) >= 0;
        long q = 0;
        if (!bad) {
            long mag = divideExtended(ua, ub); // |RA| < |RB|: the magnitude fits in 64 unsigned bits
            boolean negative = (a < 0) != (b < 0);
            // Representable: below 2^63, or exactly 2^63 for a negative quotient.
            if (mag >= 0 || (negative && mag == Long.MIN_VALUE)) {
                q = negative ? -mag : mag;
            } else {
                bad = true;
            }
        }
        return quotient(c, w, bad, bad ? 0 : q);
    }

    static int modsw(Core c, int w) {
        int a = (int) c.gpr[ra(w)], b = (int) c.gpr[rb(w)];
        boolean bad = b == 0 || (a == Integer.MIN_VALUE && b == -1);
        c.gpr[rt(w)] = bad ? 0 : a % b;
        return Core.OK;
    }

    static int moduw(Core c, int w) {
        int a = (int) c.gpr[ra(w)], b = (int) c.gpr[rb(w)];
        c.gpr[rt(w)] = b == 0 ? 0 : Integer.remainderUnsigned(a, b) & 0xFFFF_FFFFL;
        return Core.OK;
    }

    static int modsd(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)];
        boolean bad = b == 0 || (a == Long.MIN_VALUE && b == -1);
        c.gpr[rt(w)] = bad ? 0 : a % b;
        return Core.OK;
    }

    static int modud(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)];
        c.gpr[rt(w)] = b == 0 ? 0 : Long.remainderUnsigned(a, b);
        return Core.OK;
    }

    // ---- compare ----

    static int bf(int w) {
        return (w >>> 23) & 7;
    }

    private static boolean wide(int w) {
        return (w & (1 << 21)) != 0;
    }

    // The *Bits functions give the LT/GT/EQ bits of a comparison from operand values; the bodies
    // and translated code (which keeps registers and CR in locals) share them.

    static int cmp(Core c, int w) {
        c.setCrField(bf(w), cmpBits(c.gpr[ra(w)], c.gpr[rb(w)], w) | c.so);
        return Core.OK;
    }

    static int cmpBits(long a, long b, int w) {
        return wide(w) ? ConditionRegister.compareSigned(a, b) : ConditionRegister.compareSigned((int) a, (int) b);
    }

    static int cmpl(Core c, int w) {
        c.setCrField(bf(w), cmplBits(c.gpr[ra(w)], c.gpr[rb(w)], w) | c.so);
        return Core.OK;
    }

    static int cmplBits(long a, long b, int w) {
        return wide(w) ? ConditionRegister.compareUnsigned(a, b) : ConditionRegister.compareUnsigned(a & 0xFFFF_FFFFL, b & 0xFFFF_FFFFL);
    }

    static int cmpi(Core c, int w) {
        c.setCrField(bf(w), cmpiBits(c.gpr[ra(w)], w) | c.so);
        return Core.OK;
    }

    static int cmpiBits(long a, int w) {
        long b = (short) w;
        return wide(w) ? ConditionRegister.compareSigned(a, b) : ConditionRegister.compareSigned((int) a, b);
    }

    static int cmpli(Core c, int w) {
        c.setCrField(bf(w), cmpliBits(c.gpr[ra(w)], w) | c.so);
        return Core.OK;
    }

    static int cmpliBits(long a, int w) {
        return ConditionRegister.compareUnsigned(wide(w) ? a : a & 0xFFFF_FFFFL, w & 0xFFFFL);
    }

    /**
     * cmprb: is the byte RA[56:63] within [RB[56:63], RB[48:55]] (low byte = lower bound, next byte = upper
     * bound), or with L=1 also within [RB[40:47], RB[32:39]]? The result is CR[BF] = 0 || in_range || 00.
     */
    static int cmprb(Core c, int w) {
        int x = (int) c.gpr[ra(w)] & 0xFF;
        long b = c.gpr[rb(w)];
        boolean in = inByteRange(x, b);
        if (wide(w)) {
            in |= inByteRange(x, b >>> 16);
        }
        c.setCrField(bf(w), in ? 4 : 0);
        return Core.OK;
    }

    /** lo <= x <= hi, unsigned, with lo the low byte of {@code bounds} and hi the byte above it. */
    private static boolean inByteRange(int x, long bounds) {
        int lo = (int) bounds & 0xFF, hi = (int) (bounds >>> 8) & 0xFF;
        return lo <= x && x <= hi;
    }

    static int cmpeqb(Core c, int w) {
        long a = c.gpr[ra(w)] & 0xFF, b = c.gpr[rb(w)];
        boolean match = false;
        for (int i = 0; i < 64; i += 8) {
            match |= ((b >>> i) & 0xFF) == a;
        }
        c.setCrField(bf(w), match ? 4 : 0);
        return Core.OK;
    }

    // ---- logical (RA is the target, RS in the RT position) ----

    private static int logical(Core c, int w, long value) {
        c.gpr[ra(w)] = value;
        if (rc(w)) {
            c.recordCr0(value);
        }
        return Core.OK;
    }

    private static long rs(Core c, int w) {
        return c.gpr[rt(w)];
    }

    static int ori(Core c, int w) {
        c.gpr[ra(w)] = rs(c, w) | (w & 0xFFFFL);
        return Core.OK;
    }

    static int oris(Core c, int w) {
        c.gpr[ra(w)] = rs(c, w) | ((w & 0xFFFFL) << 16);
        return Core.OK;
    }

    static int xori(Core c, int w) {
        c.gpr[ra(w)] = rs(c, w) ^ (w & 0xFFFFL);
        return Core.OK;
    }

    static int xoris(Core c, int w) {
        c.gpr[ra(w)] = rs(c, w) ^ ((w & 0xFFFFL) << 16);
        return Core.OK;
    }

    static int andi(Core c, int w) {
        long v = rs(c, w) & (w & 0xFFFFL);
        c.gpr[ra(w)] = v;
        c.recordCr0(v);
        return Core.OK;
    }

    static int andis(Core c, int w) {
        long v = rs(c, w) & ((w & 0xFFFFL) << 16);
        c.gpr[ra(w)] = v;
        c.recordCr0(v);
        return Core.OK;
    }

    static int and(Core c, int w) {
        return logical(c, w, rs(c, w) & c.gpr[rb(w)]);
    }

    static int andc(Core c, int w) {
        return logical(c, w, rs(c, w) & ~c.gpr[rb(w)]);
    }

    static int or(Core c, int w) {
        return logical(c, w, rs(c, w) | c.gpr[rb(w)]);
    }

    static int orc(Core c, int w) {
        return logical(c, w, rs(c, w) | ~c.gpr[rb(w)]);
    }

    static int xor(Core c, int w) {
        return logical(c, w, rs(c, w) ^ c.gpr[rb(w)]);
    }

    static int nand(Core c, int w) {
        return logical(c, w, ~(rs(c, w) & c.gpr[rb(w)]));
    }

    static int nor(Core c, int w) {
        return logical(c, w, ~(rs(c, w) | c.gpr[rb(w)]));
    }

    static int eqv(Core c, int w) {
        return logical(c, w, ~(rs(c, w) ^ c.gpr[rb(w)]));
    }

    static int cmpb(Core c, int w) {
        long a = rs(c, w), b = c.gpr[rb(w)], r = 0;
        for (int i = 0; i < 64; i += 8) {
            if (((a ^ b) >>> i & 0xFF) == 0) {
                r |= 0xFFL << i;
            }
        }
        c.gpr[ra(w)] = r;
        return Core.OK;
    }

    static int extsb(Core c, int w) {
        return logical(c, w, (byte) rs(c, w));
    }

    static int extsh(Core c, int w) {
        return logical(c, w, (short) rs(c, w));
    }

    static int extsw(Core c, int w) {
        return logical(c, w, (int) rs(c, w));
    }

    static int cntlzw(Core c, int w) {
        return logical(c, w, Integer.numberOfLeadingZeros((int) rs(c, w)));
    }

    static int cntlzd(Core c, int w) {
        return logical(c, w, Long.numberOfLeadingZeros(rs(c, w)));
    }

    static int cnttzw(Core c, int w) {
        return logical(c, w, Integer.numberOfTrailingZeros((int) rs(c, w)));
    }

    static int cnttzd(Core c, int w) {
        return logical(c, w, Long.numberOfTrailingZeros(rs(c, w)));
    }

    static int popcntb(Core c, int w) {
        long s = rs(c, w), r = 0;
        for (int i = 0; i < 64; i += 8) {
            r |= (long) Long.bitCount((s >>> i) & 0xFF) << i;
        }
        c.gpr[ra(w)] = r;
        return Core.OK;
    }

    static int popcntw(Core c, int w) {
        long s = rs(c, w);
        c.gpr[ra(w)] = ((long) Integer.bitCount((int) (s >>> 32)) << 32) | Integer.bitCount((int) s);
        return Core.OK;
    }

    static int popcntd(Core c, int w) {
        c.gpr[ra(w)] = Long.bitCount(rs(c, w));
        return Core.OK;
    }

    /** Parity of the least significant bit of each byte of each word. */
    static int prtyw(Core c, int w) {
        long s = rs(c, w) & 0x0101_0101_0101_0101L;
        s ^= s >>> 16;
        s ^= s >>> 8;
        c.gpr[ra(w)] = s & 0x0000_0001_0000_0001L;
        return Core.OK;
    }

    static int prtyd(Core c, int w) {
        long s = rs(c, w) & 0x0101_0101_0101_0101L;
        c.gpr[ra(w)] = Long.bitCount(s) & 1;
        return Core.OK;
    }

    static int bpermd(Core c, int w) {
        long s = rs(c, w), b = c.gpr[rb(w)], r = 0;
        for (int i = 0; i < 8; i++) {
            int index = (int) (s >>> (56 - 8 * i)) & 0xFF;
            long bit = index < 64 ? (b >>> (63 - index)) & 1 : 0;
            r |= bit << (7 - i);
        }
        c.gpr[ra(w)] = r;
        return Core.OK;
    }

    // ---- CR / XER moves and selects ----

    static boolean crBit(Core c, int bi) {
        return ((c.cr >>> (31 - bi)) & 1) != 0;
    }

    static int isel(Core c, int w) {
        c.gpr[rt(w)] = crBit(c, (w >>> 6) & 31) ? raOrZero(c, w) : c.gpr[rb(w)];
        return Core.OK;
    }

    static int setb(Core c, int w) {
        int field = (c.cr >>> (28 - 4 * ((w >>> 18) & 7))) & 0xF;
        c.gpr[rt(w)] = (field & 8) != 0 ? -1L : (field & 4) != 0 ? 1 : 0;
        return Core.OK;
    }

    static int mcrxrx(Core c, int w) {
        c.setCrField(bf(w), (c.ov << 3) | (c.ov32 << 2) | (c.ca << 1) | c.ca32);
        return Core.OK;
    }

    /** darn: jvisor has no random number source at this level and reports "no random number". */
    static int darn(Core c, int w) {
        c.gpr[rt(w)] = -1L;
        return Core.OK;
    }

    // ---- traps ----

    static boolean trapCondition(int to, long a, long b) {
        return ((to & 0x10) != 0 && a < b) || ((to & 0x08) != 0 && a > b) || ((to & 0x04) != 0 && a == b)
                || ((to & 0x02) != 0 && Long.compareUnsigned(a, b) < 0)
                || ((to & 0x01) != 0 && Long.compareUnsigned(a, b) > 0);
    }

    private static int trapIf(Core c, boolean condition) {
        return condition ? c.interrupts.program(Srr1.TRAP) : Core.OK;
    }

    static int tw(Core c, int w) {
        return trapIf(c, trapCondition(rt(w), (int) c.gpr[ra(w)], (int) c.gpr[rb(w)]));
    }

    static int td(Core c, int w) {
        return trapIf(c, trapCondition(rt(w), c.gpr[ra(w)], c.gpr[rb(w)]));
    }

    static int twi(Core c, int w) {
        return trapIf(c, trapCondition(rt(w), (int) c.gpr[ra(w)], (short) w));
    }

    static int tdi(Core c, int w) {
        return trapIf(c, trapCondition(rt(w), c.gpr[ra(w)], (short) w));
    }
}
