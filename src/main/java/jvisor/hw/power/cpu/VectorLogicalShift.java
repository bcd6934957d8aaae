package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorInstructions.binary;
import static jvisor.hw.power.cpu.VectorInstructions.compare;
import static jvisor.hw.power.cpu.VectorInstructions.elem;
import static jvisor.hw.power.cpu.VectorInstructions.mask;
import static jvisor.hw.power.cpu.VectorInstructions.put;
import static jvisor.hw.power.cpu.VectorInstructions.spec;
import static jvisor.hw.power.cpu.VectorInstructions.sx;
import static jvisor.hw.power.cpu.VectorInstructions.unary;
import static jvisor.hw.power.cpu.VectorInstructions.va;
import static jvisor.hw.power.cpu.VectorInstructions.vb;
import static jvisor.hw.power.cpu.VectorInstructions.vt;

import java.util.List;

/**
 * Vector logical, rotate and shift, count, parity and integer compare instructions (ISA 3.0B
 * Book I 6.9.2-6.9.3, 6.10, 6.16).
 */
final class VectorLogicalShift {
    private VectorLogicalShift() {
    }

    private static InstructionSpec vx(String m, int xo, InstructionSpec.Body b) {
        return spec(m, Encoding.vx(4, xo), b);
    }

    private static InstructionSpec vx1538(String m, int sub, InstructionSpec.Body b) {
        return spec(m, Encoding.vx(4, 1538).bits(11, 15, sub), b);
    }

    private static InstructionSpec vcmp(String m, int xo, InstructionSpec.Body b) {
        return spec(m, Encoding.vc(4, xo), b);
    }

    static final List<InstructionSpec> SPECS = List.of(
            vx("vand", 1028, (c, w) -> binary(c, w, 64, (a, b) -> a & b)),
            vx("vandc", 1092, (c, w) -> binary(c, w, 64, (a, b) -> a & ~b)),
            vx("vor", 1156, (c, w) -> binary(c, w, 64, (a, b) -> a | b)),
            vx("vxor", 1220, (c, w) -> binary(c, w, 64, (a, b) -> a ^ b)),
            vx("vnor", 1284, (c, w) -> binary(c, w, 64, (a, b) -> ~(a | b))),
            vx("vorc", 1348, (c, w) -> binary(c, w, 64, (a, b) -> a | ~b)),
            vx("vnand", 1412, (c, w) -> binary(c, w, 64, (a, b) -> ~(a & b))),
            vx("veqv", 1668, (c, w) -> binary(c, w, 64, (a, b) -> ~(a ^ b))),
            spec("vsel", Encoding.va(4, 42), (c, w) -> VectorInstructions.ternary(c, w, 64, (a, b, m) -> (a & ~m) | (b & m))),

            vx("vrlb", 4, (c, w) -> binary(c, w, 8, (a, b) -> rotate(a, b, 8))),
            vx("vrlh", 68, (c, w) -> binary(c, w, 16, (a, b) -> rotate(a, b, 16))),
            vx("vrlw", 132, (c, w) -> binary(c, w, 32, (a, b) -> rotate(a, b, 32))),
            vx("vrld", 196, (c, w) -> binary(c, w, 64, (a, b) -> rotate(a, b, 64))),
            vx("vslb", 260, (c, w) -> binary(c, w, 8, (a, b) -> a << (b & 7))),
            vx("vslh", 324, (c, w) -> binary(c, w, 16, (a, b) -> a << (b & 15))),
            vx("vslw", 388, (c, w) -> binary(c, w, 32, (a, b) -> a << (b & 31))),
            vx("vsld", 1476, (c, w) -> binary(c, w, 64, (a, b) -> a << b)),
            vx("vsrb", 516, (c, w) -> binary(c, w, 8, (a, b) -> a >>> (b & 7))),
            vx("vsrh", 580, (c, w) -> binary(c, w, 16, (a, b) -> a >>> (b & 15))),
            vx("vsrw", 644, (c, w) -> binary(c, w, 32, (a, b) -> a >>> (b & 31))),
            vx("vsrd", 1732, (c, w) -> binary(c, w, 64, (a, b) -> a >>> b)),
            vx("vsrab", 772, (c, w) -> binary(c, w, 8, (a, b) -> sx(a, 8) >> (b & 7))),
            vx("vsrah", 836, (c, w) -> binary(c, w, 16, (a, b) -> sx(a, 16) >> (b & 15))),
            vx("vsraw", 900, (c, w) -> binary(c, w, 32, (a, b) -> sx(a, 32) >> (b & 31))),
            vx("vsrad", 964, (c, w) -> binary(c, w, 64, (a, b) -> a >> b)),
            vx("vrlwmi", 133, (c, w) -> rotateMask(c, w, 32, true)),
            vx("vrldmi", 197, (c, w) -> rotateMask(c, w, 64, true)),
            vx("vrlwnm", 389, (c, w) -> rotateMask(c, w, 32, false)),
            vx("vrldnm", 453, (c, w) -> rotateMask(c, w, 64, false)),
            vx("vsl", 452, (c, w) -> shiftBits(c, w, true)),
            vx("vsr", 708, (c, w) -> shiftBits(c, w, false)),
            vx("vslo", 1036, (c, w) -> shiftOctets(c, w, true)),
            vx("vsro", 1100, (c, w) -> shiftOctets(c, w, false)),
            vx("vslv", 1860, (c, w) -> shiftVariable(c, w, true)),
            vx("vsrv", 1796, (c, w) -> shiftVariable(c, w, false)),

            vx("vclzb", 1794, (c, w) -> unary(c, w, 8, (b, z) -> Long.numberOfLeadingZeros(b) - 56)),
            vx("vclzh", 1858, (c, w) -> unary(c, w, 16, (b, z) -> Long.numberOfLeadingZeros(b) - 48)),
            vx("vclzw", 1922, (c, w) -> unary(c, w, 32, (b, z) -> Long.numberOfLeadingZeros(b) - 32)),
            vx("vclzd", 1986, (c, w) -> unary(c, w, 64, (b, z) -> Long.numberOfLeadingZeros(b))),
            vx("vpopcntb", 1795, (c, w) -> unary(c, w, 8, (b, z) -> Long.bitCount(b))),
            vx("vpopcnth", 1859, (c, w) -> unary(c, w, 16, (b, z) -> Long.bitCount(b))),
            vx("vpopcntw", 1923, (c, w) -> unary(c, w, 32, (b, z) -> Long.bitCount(b))),
            vx("vpopcntd", 1987, (c, w) -> unary(c, w, 64, (b, z) -> Long.bitCount(b))),
            vx1538("vctzb", 28, (c, w) -> unary(c, w, 8, (b, z) -> Math.min(8, Long.numberOfTrailingZeros(b)))),
            vx1538("vctzh", 29, (c, w) -> unary(c, w, 16, (b, z) -> Math.min(16, Long.numberOfTrailingZeros(b)))),
            vx1538("vctzw", 30, (c, w) -> unary(c, w, 32, (b, z) -> Math.min(32, Long.numberOfTrailingZeros(b)))),
            vx1538("vctzd", 31, (c, w) -> unary(c, w, 64, (b, z) -> Long.numberOfTrailingZeros(b))),
            vx1538("vclzlsbb", 0, (c, w) -> countLsbZeroBytes(c, w, true)),
            vx1538("vctzlsbb", 1, (c, w) -> countLsbZeroBytes(c, w, false)),
            vx1538("vprtybw", 8, (c, w) -> unary(c, w, 32, (b, z) -> Long.bitCount(b & 0x01010101L) & 1)),
            vx1538("vprtybd", 9, (c, w) -> unary(c, w, 64, (b, z) -> Long.bitCount(b & 0x0101010101010101L) & 1)),
            vx1538("vprtybq", 10, VectorLogicalShift::vprtybq),
            vx("vgbbd", 1292, (c, w) -> unary(c, w, 64, (b, z) -> transpose(b))),

            vcmp("vcmpequb", 6, (c, w) -> compare(c, w, 8, (a, b) -> a == b)),
            vcmp("vcmpequh", 70, (c, w) -> compare(c, w, 16, (a, b) -> a == b)),
            vcmp("vcmpequw", 134, (c, w) -> compare(c, w, 32, (a, b) -> a == b)),
            vcmp("vcmpequd", 199, (c, w) -> compare(c, w, 64, (a, b) -> a == b)),
            vcmp("vcmpgtub", 518, (c, w) -> compare(c, w, 8, (a, b) -> a > b)),
            vcmp("vcmpgtuh", 582, (c, w) -> compare(c, w, 16, (a, b) -> a > b)),
            vcmp("vcmpgtuw", 646, (c, w) -> compare(c, w, 32, (a, b) -> a > b)),
            vcmp("vcmpgtud", 711, (c, w) -> compare(c, w, 64, (a, b) -> Long.compareUnsigned(a, b) > 0)),
            vcmp("vcmpgtsb", 774, (c, w) -> compare(c, w, 8, (a, b) -> sx(a, 8) > sx(b, 8))),
            vcmp("vcmpgtsh", 838, (c, w) -> compare(c, w, 16, (a, b) -> sx(a, 16) > sx(b, 16))),
            vcmp("vcmpgtsw", 902, (c, w) -> compare(c, w, 32, (a, b) -> sx(a, 32) > sx(b, 32))),
            vcmp("vcmpgtsd", 967, (c, w) -> compare(c, w, 64, (a, b) -> a > b)),
            vcmp("vcmpneb", 7, (c, w) -> compare(c, w, 8, (a, b) -> a != b)),
            vcmp("vcmpneh", 71, (c, w) -> compare(c, w, 16, (a, b) -> a != b)),
            vcmp("vcmpnew", 135, (c, w) -> compare(c, w, 32, (a, b) -> a != b)),
            vcmp("vcmpnezb", 263, (c, w) -> compare(c, w, 8, (a, b) -> a == 0 || b == 0 || a != b)),
            vcmp("vcmpnezh", 327, (c, w) -> compare(c, w, 16, (a, b) -> a == 0 || b == 0 || a != b)),
            vcmp("vcmpnezw", 391, (c, w) -> compare(c, w, 32, (a, b) -> a == 0 || b == 0 || a != b)));

    private static long rotate(long a, long b, int bits) {
        int n = (int) b & (bits - 1);
        if (bits == 64) return Long.rotateLeft(a, n);
        return n == 0 ? a : (a << n) | (a >>> (bits - n));
    }

    /**
     * vrlwnm/vrldnm/vrlwmi/vrldmi: each element of VRA rotated left by the shift in VRB's
     * element and ANDed with the mask from MB to ME (both from VRB's element: bits 11:15 / 19:23
     * / 27:31 of a word, 42:47 / 50:55 / 58:63 of a doubleword); the insert forms keep VRT's
     * bits outside the mask.
     */
    private static int rotateMask(Core c, int w, int bits, boolean insert) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w), t = vt(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1], th = v[t], tl = v[t + 1];
        VectorInstructions.Lane3 f = (x, y, old) -> {
            long field = bits - 1;
            int mb = (int) ((y >>> 16) & field), me = (int) ((y >>> 8) & field);
            long m = rangeMask(mb, me, bits);
            long r = rotate(x, y, bits) & m;
            return insert ? r | (old & ~m) : r;
        };
        long hi = 0, lo = 0, em = mask(bits);
        for (int i = 0; i < 128 / bits; i++) {
            long r = f.apply(elem(ah, al, bits, i), elem(bh, bl, bits, i), elem(th, tl, bits, i)) & em;
            if (i < 64 / bits) hi = VectorInstructions.with(hi, bits, i, r);
            else lo = VectorInstructions.with(lo, bits, i, r);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** Ones from bit mb to bit me of a {@code bits}-wide element (ISA numbering), wrapping when mb > me. */
    private static long rangeMask(int mb, int me, int bits) {
        long all = mask(bits);
        long fromMb = all >>> mb;                       // bits mb .. bits-1
        long toMe = me == bits - 1 ? all : all & ~(all >>> (me + 1)); // bits 0 .. me
        return mb <= me ? fromMb & toMe : (fromMb | toMe) & all;
    }

    /** vsl/vsr: the quadword shifted by VRB bits 125:127. */
    private static int shiftBits(Core c, int w, boolean left) {
        long[] v = c.vs.vsr;
        int a = va(w);
        int sh = (int) v[vb(w) + 1] & 7;
        long hi = v[a], lo = v[a + 1];
        if (sh != 0) {
            if (left) {
                hi = (hi << sh) | (lo >>> (64 - sh));
                lo <<= sh;
            } else {
                lo = (lo >>> sh) | (hi << (64 - sh));
                hi >>>= sh;
            }
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vslo/vsro: the quadword shifted by whole bytes, VRB bits 121:124. */
    private static int shiftOctets(Core c, int w, boolean left) {
        long[] v = c.vs.vsr;
        int a = va(w);
        int n = 8 * (((int) v[vb(w) + 1] >>> 3) & 15);
        long hi = v[a], lo = v[a + 1];
        long rh, rl;
        if (n == 0) {
            rh = hi;
            rl = lo;
        } else if (n >= 64) {
            rh = left ? lo << (n - 64) : 0;
            rl = left ? 0 : hi >>> (n - 64);
        } else if (left) {
            rh = (hi << n) | (lo >>> (64 - n));
            rl = lo << n;
        } else {
            rl = (lo >>> n) | (hi << (64 - n));
            rh = hi >>> n;
        }
        put(c, w, rh, rl);
        return Core.OK;
    }

    /**
     * vslv/vsrv: byte i of VRT is the 16 bits made of byte i of VRA and its right neighbour
     * (vslv; zero past byte 15) or left neighbour (vsrv; zero before byte 0), shifted by the low
     * three bits of byte i of VRB.
     */
    private static int shiftVariable(Core c, int w, boolean left) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        long hi = 0, lo = 0;
        for (int i = 0; i < 16; i++) {
            int sh = (int) elem(bh, bl, 8, i) & 7;
            long x = elem(ah, al, 8, i);
            long r;
            if (left) {
                long next = i < 15 ? elem(ah, al, 8, i + 1) : 0;
                r = (((x << 8) | next) << sh) >>> 8;
            } else {
                long prev = i > 0 ? elem(ah, al, 8, i - 1) : 0;
                r = ((prev << 8) | x) >>> sh;
            }
            if (i < 8) hi = VectorInstructions.with(hi, 8, i, r & 0xFF);
            else lo = VectorInstructions.with(lo, 8, i, r & 0xFF);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vclzlsbb/vctzlsbb: RT = the number of bytes of VRB, from byte 0 (or from byte 15), before one whose bit 7 is 1. */
    private static int countLsbZeroBytes(Core c, int w, boolean leading) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        long hi = v[b] & 0x0101010101010101L, lo = v[b + 1] & 0x0101010101010101L;
        int n;
        if (leading) {
            n = hi != 0 ? Long.numberOfLeadingZeros(hi) / 8 : 8 + Long.numberOfLeadingZeros(lo) / 8;
        } else {
            n = lo != 0 ? Long.numberOfTrailingZeros(lo) / 8 : 8 + Long.numberOfTrailingZeros(hi) / 8;
        }
        c.gpr[FixedPoint.rt(w)] = n;
        return Core.OK;
    }

    private static int vprtybq(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        long bits = (v[b] ^ v[b + 1]) & 0x0101010101010101L;
        put(c, w, 0, Long.bitCount(bits) & 1);
        return Core.OK;
    }

    /** vgbbd: the doubleword as an 8x8 bit matrix (byte i = row i), transposed. */
    static long transpose(long x) {
        long r = 0;
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                // bit j of byte i (ISA numbering) goes to bit i of byte j
                long bit = (x >>> (63 - (8 * i + j))) & 1;
                r |= bit << (63 - (8 * j + i));
            }
        }
        return r;
    }
}
