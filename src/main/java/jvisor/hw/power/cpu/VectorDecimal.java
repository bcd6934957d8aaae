package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorInstructions.put;
import static jvisor.hw.power.cpu.VectorInstructions.spec;
import static jvisor.hw.power.cpu.VectorInstructions.va;
import static jvisor.hw.power.cpu.VectorInstructions.vb;

import java.math.BigInteger;
import java.util.List;

/**
 * Decimal integer instructions (ISA 3.0B Book I 6.12-6.13) and vmul10* (6.9.1).
 *
 * <p>A signed packed decimal is 31 BCD digits (nibbles 0-30, the most significant first) and a
 * sign code in nibble 31: 0xA, 0xC, 0xE, 0xF plus, 0xB, 0xD minus; results carry the preferred
 * sign, 0xD for minus and 0xC (PS=0) or 0xF (PS=1) for plus, and a zero result is plus. Every
 * bcd instruction is record form: CR6 gets LT, GT or EQ from the result's value and SO for an
 * overflow (digits lost) or an invalid source (a digit over 9 or a sign code under 0xA). The
 * target of an invalid operation is undefined in the ISA; here it is left unchanged.
 */
final class VectorDecimal {
    private VectorDecimal() {
    }

    private static final int LT = 8, GT = 4, EQ = 2, SO = 1;
    private static final BigInteger TEN = BigInteger.TEN;
    private static final BigInteger LIMIT31 = TEN.pow(31), LIMIT32 = TEN.pow(32);
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

    /** bcd with PS free in bit 22: bit 21 = 1, xo in bits 23:31. */
    private static Encoding bcdPs(int xo) {
        return Encoding.of(4).bit(21, 1).bits(23, 31, xo);
    }

    /** The xo 385 group, its sub-opcode in the VRA field. */
    private static Encoding bcd385(int sub) {
        return bcdPs(385).bits(11, 15, sub);
    }

    static final List<InstructionSpec> SPECS = List.of(
            spec("vmul10uq", Encoding.vx(4, 513), (c, w) -> multiplyTen(c, w, false, false)),
            spec("vmul10cuq", Encoding.vx(4, 1), (c, w) -> multiplyTen(c, w, false, true)),
            spec("vmul10euq", Encoding.vx(4, 577), (c, w) -> multiplyTen(c, w, true, false)),
            spec("vmul10ecuq", Encoding.vx(4, 65), (c, w) -> multiplyTen(c, w, true, true)),
            spec("bcdadd.", bcdPs(1), (c, w) -> addSubtract(c, w, false)),
            spec("bcdsub.", bcdPs(65), (c, w) -> addSubtract(c, w, true)),
            spec("bcdus.", bcdPs(129), VectorDecimal::bcdus),
            spec("bcds.", bcdPs(193), (c, w) -> shift(c, w, false)),
            spec("bcdtrunc.", bcdPs(257), VectorDecimal::bcdtrunc),
            spec("bcdutrunc.", bcdPs(321), VectorDecimal::bcdutrunc),
            spec("bcdsr.", bcdPs(449), (c, w) -> shift(c, w, true)),
            spec("bcdcpsgn.", Encoding.vx(4, 833), VectorDecimal::bcdcpsgn),
            spec("bcdctsq.", bcd385(0), VectorDecimal::bcdctsq),
            spec("bcdcfsq.", bcd385(2), VectorDecimal::bcdcfsq),
            spec("bcdctz.", bcd385(4), VectorDecimal::bcdctz),
            spec("bcdctn.", bcd385(5), VectorDecimal::bcdctn),
            spec("bcdcfz.", bcd385(6), VectorDecimal::bcdcfz),
            spec("bcdcfn.", bcd385(7), VectorDecimal::bcdcfn),
            spec("bcdsetsgn.", bcd385(31), VectorDecimal::bcdsetsgn));

    // ---- 128-bit values ----

    private static BigInteger unsigned(long hi, long lo) {
        BigInteger h = new BigInteger(Long.toUnsignedString(hi)), l = new BigInteger(Long.toUnsignedString(lo));
        return h.shiftLeft(64).or(l);
    }

    private static void putValue(Core c, int w, BigInteger x) {
        put(c, w, x.shiftRight(64).longValue(), x.longValue());
    }

    /** VRT = VRA * 10 (+ the low nibble of VRB for the extended forms), or with carry the digit carried out of 128 bits. */
    private static int multiplyTen(Core c, int w, boolean extended, boolean carry) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        BigInteger x = unsigned(v[a], v[a + 1]).multiply(TEN);
        if (extended) x = x.add(BigInteger.valueOf(v[b + 1] & 15));
        putValue(c, w, carry ? x.shiftRight(128) : x.mod(TWO_128));
        return Core.OK;
    }

    // ---- packed decimals ----

    private static int nibble(long hi, long lo, int n) {
        return (int) ((n < 16 ? hi >>> (60 - 4 * n) : lo >>> (60 - 4 * (n - 16))) & 15);
    }

    /** The sign code: 1 plus, -1 minus, 0 invalid. */
    private static int sign(long lo) {
        int s = (int) lo & 15;
        return s == 0xB || s == 0xD ? -1 : s >= 0xA ? 1 : 0;
    }

    /** The 31-digit magnitude of a signed decimal, or null when a digit is over 9. */
    private static BigInteger magnitude(long hi, long lo) {
        BigInteger m = BigInteger.ZERO;
        for (int n = 0; n < 31; n++) {
            int d = nibble(hi, lo, n);
            if (d > 9) return null;
            m = m.multiply(TEN).add(BigInteger.valueOf(d));
        }
        return m;
    }

    /** The 32-digit value of an unsigned decimal, or null when a digit is over 9. */
    private static BigInteger unsignedDecimal(long hi, long lo) {
        BigInteger m = BigInteger.ZERO;
        for (int n = 0; n < 32; n++) {
            int d = nibble(hi, lo, n);
            if (d > 9) return null;
            m = m.multiply(TEN).add(BigInteger.valueOf(d));
        }
        return m;
    }

    /** The signed value of a valid signed decimal, or null. */
    private static BigInteger signed(long hi, long lo) {
        int s = sign(lo);
        BigInteger m = magnitude(hi, lo);
        if (s == 0 || m == null) return null;
        return s < 0 ? m.negate() : m;
    }

    private static int ps(int w) {
        return (w >>> 9) & 1;
    }

    private static int preferredSign(boolean negative, int ps) {
        return negative ? 0xD : ps == 1 ? 0xF : 0xC;
    }

    /** A signed decimal: the 31 digits of {@code digits} (less than 10^31), then the sign code. */
    private static long[] pack(BigInteger digits, int sign) {
        long[] r = packUnsigned(digits.multiply(TEN)); // one place left: the last nibble is free
        r[1] |= sign;
        return r;
    }

    private static int putSigned(Core c, int w, BigInteger value, boolean negative, int ps) {
        BigInteger mag = value.abs();
        long[] r = pack(mag.mod(LIMIT31), preferredSign(negative, ps));
        put(c, w, r[0], r[1]);
        return mag.compareTo(LIMIT31) >= 0 ? SO : 0;
    }

    private static int valueCr(BigInteger value) {
        return value.signum() < 0 ? LT : value.signum() > 0 ? GT : EQ;
    }

    private static int record(Core c, int cr6) {
        c.setCrField(6, cr6);
        return Core.OK;
    }

    private static int addSubtract(Core c, int w, boolean subtract) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        BigInteger x = signed(v[a], v[a + 1]), y = signed(v[b], v[b + 1]);
        if (x == null || y == null) return record(c, SO);
        BigInteger r = subtract ? x.subtract(y) : x.add(y);
        int so = putSigned(c, w, r, r.signum() < 0, ps(w));
        return record(c, valueCr(r) | so);
    }

    /**
     * bcds. (and bcdsr., which rounds a right shift half up on the last digit shifted out):
     * VRB's digits shifted by the signed byte 7 of VRA (positive: left), at most 31 places;
     * SO when nonzero digits leave on the left.
     */
    private static int shift(Core c, int w, boolean round) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        BigInteger m = magnitude(v[b], v[b + 1]);
        int s = sign(v[b + 1]);
        if (m == null || s == 0) return record(c, SO);
        int n = Math.max(-31, Math.min(31, (byte) v[a]));
        BigInteger r;
        int so = 0;
        if (n >= 0) {
            BigInteger full = m.multiply(TEN.pow(n));
            if (full.compareTo(LIMIT31) >= 0) so = SO;
            r = full.mod(LIMIT31);
        } else {
            BigInteger[] qr = m.divideAndRemainder(TEN.pow(-n));
            r = qr[0];
            if (round && qr[1].divide(TEN.pow(-n - 1)).intValue() >= 5) r = r.add(BigInteger.ONE).mod(LIMIT31);
        }
        long[] packed = pack(r, preferredSign(s < 0, ps(w)));
        put(c, w, packed[0], packed[1]);
        int cr = r.signum() == 0 ? EQ : s < 0 ? LT : GT;
        return record(c, cr | so);
    }

    /** bcdus.: the 32-digit unsigned decimal VRB shifted by the signed byte 7 of VRA. */
    private static int bcdus(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        BigInteger m = unsignedDecimal(v[b], v[b + 1]);
        if (m == null) return record(c, SO);
        int n = (byte) v[a];
        BigInteger r;
        int so = 0;
        if (n >= 0) {
            BigInteger full = m.multiply(TEN.pow(Math.min(n, 32)));
            if (full.compareTo(LIMIT32) >= 0) so = SO;
            r = full.mod(LIMIT32);
        } else {
            r = -n >= 32 ? BigInteger.ZERO : m.divide(TEN.pow(-n));
        }
        long[] packed = packUnsigned(r);
        put(c, w, packed[0], packed[1]);
        return record(c, (r.signum() == 0 ? EQ : GT) | so);
    }

    private static long[] packUnsigned(BigInteger r) {
        long hi = 0, lo = 0;
        BigInteger m = r;
        for (int n = 31; n >= 0; n--) {
            BigInteger[] qr = m.divideAndRemainder(TEN);
            m = qr[0];
            long d = qr[1].longValue();
            if (n < 16) hi |= d << (60 - 4 * n);
            else lo |= d << (60 - 4 * (n - 16));
        }
        return new long[]{hi, lo};
    }

    /** bcdtrunc.: keeps the low VRA.halfword[3] digits of VRB; SO when nonzero digits are dropped. */
    private static int bcdtrunc(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        BigInteger m = magnitude(v[b], v[b + 1]);
        int s = sign(v[b + 1]);
        if (m == null || s == 0) return record(c, SO);
        int len = (short) (v[a] & 0xFFFF);
        BigInteger r = m;
        int so = 0;
        if (len >= 0 && len < 31) {
            r = m.mod(TEN.pow(len));
            if (!r.equals(m)) so = SO;
        }
        long[] packed = pack(r, preferredSign(s < 0, ps(w)));
        put(c, w, packed[0], packed[1]);
        return record(c, (r.signum() == 0 ? EQ : s < 0 ? LT : GT) | so);
    }

    /** bcdutrunc.: keeps the low VRA.halfword[3] digits of the 32-digit unsigned decimal VRB. */
    private static int bcdutrunc(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        BigInteger m = unsignedDecimal(v[b], v[b + 1]);
        if (m == null) return record(c, SO);
        int len = (short) (v[a] & 0xFFFF);
        BigInteger r = m;
        int so = 0;
        if (len >= 0 && len < 32) {
            r = m.mod(TEN.pow(len));
            if (!r.equals(m)) so = SO;
        }
        long[] packed = packUnsigned(r);
        put(c, w, packed[0], packed[1]);
        return record(c, (r.signum() == 0 ? EQ : GT) | so);
    }

    /** bcdcpsgn.: VRA's digits with VRB's sign code. */
    private static int bcdcpsgn(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        BigInteger m = magnitude(v[a], v[a + 1]);
        if (m == null || sign(v[a + 1]) == 0 || magnitude(v[b], v[b + 1]) == null || sign(v[b + 1]) == 0) {
            return record(c, SO);
        }
        put(c, w, v[a], (v[a + 1] & ~15L) | (v[b + 1] & 15));
        return record(c, m.signum() == 0 ? EQ : sign(v[b + 1]) < 0 ? LT : GT);
    }

    /** bcdsetsgn.: VRB with its sign code replaced by the preferred one. */
    private static int bcdsetsgn(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        BigInteger m = magnitude(v[b], v[b + 1]);
        int s = sign(v[b + 1]);
        if (m == null || s == 0) return record(c, SO);
        put(c, w, v[b], (v[b + 1] & ~15L) | preferredSign(s < 0, ps(w)));
        return record(c, m.signum() == 0 ? EQ : s < 0 ? LT : GT);
    }

    /** bcdctsq.: the signed decimal VRB as a signed quadword. */
    private static int bcdctsq(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        BigInteger x = signed(v[b], v[b + 1]);
        if (x == null) return record(c, SO);
        putValue(c, w, x.mod(TWO_128));
        return record(c, magnitudeCr(x, sign(v[b + 1])));
    }

    /** The CR of a decimal value whose zero may carry a minus sign: EQ for any zero. */
    private static int magnitudeCr(BigInteger x, int s) {
        return x.signum() == 0 ? EQ : s < 0 ? LT : GT;
    }

    /** bcdcfsq.: the signed quadword VRB as a signed decimal; SO (VRT unchanged) beyond 31 digits. */
    private static int bcdcfsq(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        BigInteger x = unsigned(v[b], v[b + 1]);
        if (v[b] < 0) x = x.subtract(TWO_128);
        if (x.abs().compareTo(LIMIT31) >= 0) return record(c, valueCr(x) | SO);
        putSigned(c, w, x, x.signum() < 0, ps(w));
        return record(c, valueCr(x));
    }

    /**
     * bcdctn.: the low 7 digits of VRB as national decimal (halfwords 0-6 the characters '0'-'9',
     * halfword 7 '+' or '-'); SO when more digits are nonzero.
     */
    private static int bcdctn(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        BigInteger m = magnitude(v[b], v[b + 1]);
        int s = sign(v[b + 1]);
        if (m == null || s == 0) return record(c, SO);
        BigInteger low = m.mod(TEN.pow(7));
        long hi = 0, lo = 0;
        BigInteger r = low;
        for (int i = 6; i >= 0; i--) {
            BigInteger[] qr = r.divideAndRemainder(TEN);
            r = qr[0];
            long ch = 0x30 + qr[1].longValue();
            if (i < 4) hi |= ch << (48 - 16 * i);
            else lo |= ch << (48 - 16 * (i - 4));
        }
        lo |= s < 0 ? 0x2D : 0x2B;
        put(c, w, hi, lo);
        return record(c, magnitudeCr(m, s) | (low.equals(m) ? 0 : SO));
    }

    /** bcdcfn.: the national decimal VRB as a signed decimal. */
    private static int bcdcfn(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        long hi = v[b], lo = v[b + 1];
        int sgn = (int) lo & 0xFFFF;
        if (sgn != 0x2B && sgn != 0x2D) return record(c, SO);
        BigInteger m = BigInteger.ZERO;
        for (int i = 0; i < 7; i++) {
            int ch = (int) ((i < 4 ? hi >>> (48 - 16 * i) : lo >>> (48 - 16 * (i - 4))) & 0xFFFF);
            if (ch < 0x30 || ch > 0x39) return record(c, SO);
            m = m.multiply(TEN).add(BigInteger.valueOf(ch - 0x30));
        }
        long[] packed = pack(m, preferredSign(sgn == 0x2D, ps(w)));
        put(c, w, packed[0], packed[1]);
        return record(c, magnitudeCr(m, sgn == 0x2D ? -1 : 1));
    }

    /**
     * bcdctz.: the low 16 digits of VRB as zoned decimal, one digit a byte under zone 0x3 (PS=0)
     * or 0xF (PS=1), the sign in the zone of byte 15 (0x3/0x7 or 0xC/0xD); SO when more digits
     * are nonzero.
     */
    private static int bcdctz(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        BigInteger m = magnitude(v[b], v[b + 1]);
        int s = sign(v[b + 1]);
        if (m == null || s == 0) return record(c, SO);
        int ps = ps(w);
        BigInteger low = m.mod(TEN.pow(16));
        long zone = ps == 1 ? 0xF : 0x3;
        long hi = 0, lo = 0;
        BigInteger r = low;
        for (int i = 15; i >= 0; i--) {
            BigInteger[] qr = r.divideAndRemainder(TEN);
            r = qr[0];
            long z = i == 15 ? (ps == 1 ? (s < 0 ? 0xD : 0xC) : (s < 0 ? 0x7 : 0x3)) : zone;
            long byt = (z << 4) | qr[1].longValue();
            if (i < 8) hi |= byt << (56 - 8 * i);
            else lo |= byt << (56 - 8 * (i - 8));
        }
        put(c, w, hi, lo);
        return record(c, magnitudeCr(m, s) | (low.equals(m) ? 0 : SO));
    }

    /** bcdcfz.: the zoned decimal VRB (zones 0x3 for PS=0, 0xF for PS=1) as a signed decimal. */
    private static int bcdcfz(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vb(w), ps = ps(w);
        long hi = v[b], lo = v[b + 1];
        int zone = ps == 1 ? 0xF : 0x3;
        int sgn = (int) (lo >>> 4) & 15;
        if (ps == 1 && sgn < 0xA) return record(c, SO);
        BigInteger m = BigInteger.ZERO;
        for (int i = 0; i < 16; i++) {
            int byt = (int) ((i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8))) & 0xFF);
            int z = byt >>> 4, d = byt & 15;
            if ((i != 15 && z != zone) || d > 9) return record(c, SO);
            m = m.multiply(TEN).add(BigInteger.valueOf(d));
        }
        boolean negative = ps == 1 ? sgn == 0xB || sgn == 0xD : (sgn & 4) != 0;
        long[] packed = pack(m, preferredSign(negative, 0));
        put(c, w, packed[0], packed[1]);
        return record(c, magnitudeCr(m, negative ? -1 : 1));
    }
}
