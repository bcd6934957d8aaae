package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorInstructions.clampSigned;
import static jvisor.hw.power.cpu.VectorInstructions.clampUnsigned;
import static jvisor.hw.power.cpu.VectorInstructions.elem;
import static jvisor.hw.power.cpu.VectorInstructions.mask;
import static jvisor.hw.power.cpu.VectorInstructions.put;
import static jvisor.hw.power.cpu.VectorInstructions.setSat;
import static jvisor.hw.power.cpu.VectorInstructions.spec;
import static jvisor.hw.power.cpu.VectorInstructions.sx;
import static jvisor.hw.power.cpu.VectorInstructions.va;
import static jvisor.hw.power.cpu.VectorInstructions.vb;
import static jvisor.hw.power.cpu.VectorInstructions.vc;
import static jvisor.hw.power.cpu.VectorInstructions.vt;
import static jvisor.hw.power.cpu.VectorInstructions.with;

import java.util.List;

/**
 * Vector pack and unpack, merge, splat, permute, insert and extract, and the bit permutes
 * (ISA 3.0B Book I 6.8).
 */
final class VectorPermute {
    private VectorPermute() {
    }

    private static InstructionSpec vx(String m, int xo, InstructionSpec.Body b) {
        return spec(m, Encoding.vx(4, xo), b);
    }

    /** Pack kinds: how an element is narrowed. */
    private static final int MODULO = 0, UNSIGNED_TO_UNSIGNED = 1, SIGNED_TO_UNSIGNED = 2, SIGNED_TO_SIGNED = 3;

    static final List<InstructionSpec> SPECS = List.of(
            vx("vpkuhum", 14, (c, w) -> pack(c, w, 16, MODULO)),
            vx("vpkuwum", 78, (c, w) -> pack(c, w, 32, MODULO)),
            vx("vpkudum", 1102, (c, w) -> pack(c, w, 64, MODULO)),
            vx("vpkuhus", 142, (c, w) -> pack(c, w, 16, UNSIGNED_TO_UNSIGNED)),
            vx("vpkuwus", 206, (c, w) -> pack(c, w, 32, UNSIGNED_TO_UNSIGNED)),
            vx("vpkudus", 1230, (c, w) -> pack(c, w, 64, UNSIGNED_TO_UNSIGNED)),
            vx("vpkshus", 270, (c, w) -> pack(c, w, 16, SIGNED_TO_UNSIGNED)),
            vx("vpkswus", 334, (c, w) -> pack(c, w, 32, SIGNED_TO_UNSIGNED)),
            vx("vpksdus", 1358, (c, w) -> pack(c, w, 64, SIGNED_TO_UNSIGNED)),
            vx("vpkshss", 398, (c, w) -> pack(c, w, 16, SIGNED_TO_SIGNED)),
            vx("vpkswss", 462, (c, w) -> pack(c, w, 32, SIGNED_TO_SIGNED)),
            vx("vpksdss", 1486, (c, w) -> pack(c, w, 64, SIGNED_TO_SIGNED)),
            vx("vpkpx", 782, VectorPermute::vpkpx),
            vx("vupkhsb", 526, (c, w) -> unpack(c, w, 8, 0)),
            vx("vupkhsh", 590, (c, w) -> unpack(c, w, 16, 0)),
            vx("vupkhsw", 1614, (c, w) -> unpack(c, w, 32, 0)),
            vx("vupklsb", 654, (c, w) -> unpack(c, w, 8, 1)),
            vx("vupklsh", 718, (c, w) -> unpack(c, w, 16, 1)),
            vx("vupklsw", 1742, (c, w) -> unpack(c, w, 32, 1)),
            vx("vupkhpx", 846, (c, w) -> unpackPixel(c, w, 0)),
            vx("vupklpx", 974, (c, w) -> unpackPixel(c, w, 1)),

            vx("vmrghb", 12, (c, w) -> merge(c, w, 8, 0)),
            vx("vmrghh", 76, (c, w) -> merge(c, w, 16, 0)),
            vx("vmrghw", 140, (c, w) -> merge(c, w, 32, 0)),
            vx("vmrglb", 268, (c, w) -> merge(c, w, 8, 1)),
            vx("vmrglh", 332, (c, w) -> merge(c, w, 16, 1)),
            vx("vmrglw", 396, (c, w) -> merge(c, w, 32, 1)),
            vx("vmrgew", 1932, (c, w) -> mergeEvenOdd(c, w, 0)),
            vx("vmrgow", 1676, (c, w) -> mergeEvenOdd(c, w, 1)),

            vx("vspltb", 524, (c, w) -> splat(c, w, 8, (w >>> 16) & 15)),
            vx("vsplth", 588, (c, w) -> splat(c, w, 16, (w >>> 16) & 7)),
            vx("vspltw", 652, (c, w) -> splat(c, w, 32, (w >>> 16) & 3)),
            vx("vspltisb", 780, (c, w) -> splatImmediate(c, w, 8)),
            vx("vspltish", 844, (c, w) -> splatImmediate(c, w, 16)),
            vx("vspltisw", 908, (c, w) -> splatImmediate(c, w, 32)),

            spec("vperm", Encoding.va(4, 43), (c, w) -> permute(c, w, false)),
            spec("vpermr", Encoding.va(4, 59), (c, w) -> permute(c, w, true)),
            spec("vpermxor", Encoding.va(4, 45), VectorPermute::vpermxor),
            spec("vsldoi", Encoding.va(4, 44).bit(21, 0), VectorPermute::vsldoi),
            vx("vbpermq", 1356, VectorPermute::vbpermq),
            vx("vbpermd", 1484, VectorPermute::vbpermd),

            vx("vextractub", 525, (c, w) -> extract(c, w, 1)),
            vx("vextractuh", 589, (c, w) -> extract(c, w, 2)),
            vx("vextractuw", 653, (c, w) -> extract(c, w, 4)),
            vx("vextractd", 717, (c, w) -> extract(c, w, 8)),
            vx("vinsertb", 781, (c, w) -> insert(c, w, 1)),
            vx("vinserth", 845, (c, w) -> insert(c, w, 2)),
            vx("vinsertw", 909, (c, w) -> insert(c, w, 4)),
            vx("vinsertd", 973, (c, w) -> insert(c, w, 8)),
            vx("vextublx", 1549, (c, w) -> extractToGpr(c, w, 1, true)),
            vx("vextuhlx", 1613, (c, w) -> extractToGpr(c, w, 2, true)),
            vx("vextuwlx", 1677, (c, w) -> extractToGpr(c, w, 4, true)),
            vx("vextubrx", 1805, (c, w) -> extractToGpr(c, w, 1, false)),
            vx("vextuhrx", 1869, (c, w) -> extractToGpr(c, w, 2, false)),
            vx("vextuwrx", 1933, (c, w) -> extractToGpr(c, w, 4, false)));

    /** Byte {@code i} (0..31) of the concatenation hi0:lo0:hi1:lo1. */
    private static long byteOf(long h0, long l0, long h1, long l1, int i) {
        return i < 16 ? elem(h0, l0, 8, i) : elem(h1, l1, 8, i - 16);
    }

    /** The pack family: VRT = the elements of VRA then VRB, each narrowed to half its width. */
    private static int pack(Core c, int w, int bits, int kind) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        int half = bits / 2, n = 128 / bits;
        long hi = 0, lo = 0, m = mask(half);
        boolean sat = false;
        for (int i = 0; i < 2 * n; i++) {
            long x = i < n ? elem(ah, al, bits, i) : elem(bh, bl, bits, i - n);
            long r = switch (kind) {
                case UNSIGNED_TO_UNSIGNED -> Long.compareUnsigned(x, m) > 0 ? m : x;
                case SIGNED_TO_UNSIGNED -> clampUnsigned(sx(x, bits), half);
                case SIGNED_TO_SIGNED -> clampSigned(sx(x, bits), half);
                default -> x;
            };
            if (kind != MODULO) sat |= r != (kind == UNSIGNED_TO_UNSIGNED ? x : sx(x, bits));
            if (i < n) hi = with(hi, half, i, r & m);
            else lo = with(lo, half, i - n, r & m);
        }
        put(c, w, hi, lo);
        if (sat) setSat(c);
        return Core.OK;
    }

    /** vpkpx: each word 1/5/5/5 bits (bits 7, 8:12, 16:20, 24:28) packed into a halfword. */
    private static int vpkpx(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            long e = i < 4 ? elem(ah, al, 32, i) : elem(bh, bl, 32, i - 4);
            long p = ((e >>> 9) & 0xFC00) | ((e >>> 6) & 0x3E0) | ((e >>> 3) & 0x1F);
            if (i < 4) hi = with(hi, 16, i, p);
            else lo = with(lo, 16, i - 4, p);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vupkh and vupkl: the left (half 0) or right (half 1) half of VRB, sign-extended to double width. */
    private static int unpack(Core c, int w, int bits, int half) {
        long[] v = c.vs.vsr;
        long src = v[vb(w) + half];
        long hi = 0, lo = 0;
        int n = 64 / bits;
        for (int i = 0; i < n; i++) {
            long x = sx(elem(src, 0, bits, i), bits);
            if (i < n / 2) hi = with(hi, 2 * bits, i, x);
            else lo = with(lo, 2 * bits, i - n / 2, x);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vupkhpx/vupklpx: 1/5/5/5 pixels to words of 8-bit channels (the 1-bit one sign-extended). */
    private static int unpackPixel(Core c, int w, int half) {
        long[] v = c.vs.vsr;
        long src = v[vb(w) + half];
        long hi = 0, lo = 0;
        for (int i = 0; i < 4; i++) {
            long e = elem(src, 0, 16, i);
            long p = ((e >>> 15) != 0 ? 0xFF00_0000L : 0) | (((e >>> 10) & 0x1F) << 16) | (((e >>> 5) & 0x1F) << 8) | (e & 0x1F);
            if (i < 2) hi = with(hi, 32, i, p);
            else lo = with(lo, 32, i - 2, p);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vmrgh/vmrgl: VRA[k], VRB[k] interleaved over the left (half 0) or right half's elements k. */
    private static int merge(Core c, int w, int bits, int half) {
        long[] v = c.vs.vsr;
        long x = v[va(w) + half], y = v[vb(w) + half];
        long hi = 0, lo = 0;
        int n = 64 / bits;
        for (int k = 0; k < n; k++) {
            long ea = elem(x, 0, bits, k), eb = elem(y, 0, bits, k);
            int i = 2 * k;
            if (i < n) {
                hi = with(hi, bits, i, ea);
                hi = with(hi, bits, i + 1, eb);
            } else {
                lo = with(lo, bits, i - n, ea);
                lo = with(lo, bits, i + 1 - n, eb);
            }
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vmrgew (odd 0) / vmrgow (odd 1): VRA.word[odd], VRB.word[odd], VRA.word[2+odd], VRB.word[2+odd]. */
    private static int mergeEvenOdd(Core c, int w, int odd) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        int shift = odd == 0 ? 32 : 0;
        long hi = (((v[a] >>> shift) & 0xFFFF_FFFFL) << 32) | ((v[b] >>> shift) & 0xFFFF_FFFFL);
        long lo = (((v[a + 1] >>> shift) & 0xFFFF_FFFFL) << 32) | ((v[b + 1] >>> shift) & 0xFFFF_FFFFL);
        put(c, w, hi, lo);
        return Core.OK;
    }

    private static long replicate(long e, int bits) {
        long r = 0;
        for (int s = 0; s < 64; s += bits) r |= (e & mask(bits)) << s;
        return r;
    }

    private static int splat(Core c, int w, int bits, int uim) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        long d = replicate(elem(v[b], v[b + 1], bits, uim), bits);
        put(c, w, d, d);
        return Core.OK;
    }

    private static int splatImmediate(Core c, int w, int bits) {
        long d = replicate(sx((w >>> 16) & 31, 5), bits);
        put(c, w, d, d);
        return Core.OK;
    }

    /** vperm: byte i = byte (VRC.byte[i] & 31) of VRA:VRB; vpermr counts the index from the right end. */
    private static int permute(Core c, int w, boolean reversed) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w), s = vc(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1], sh = v[s], sl = v[s + 1];
        long hi = 0, lo = 0;
        for (int i = 0; i < 16; i++) {
            int index = (int) elem(sh, sl, 8, i) & 31;
            if (reversed) index = 31 - index;
            long x = byteOf(ah, al, bh, bl, index);
            if (i < 8) hi = (hi << 8) | x;
            else lo = (lo << 8) | x;
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vpermxor: byte i = VRA.byte[high nibble of VRC.byte[i]] ^ VRB.byte[low nibble]. */
    private static int vpermxor(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w), s = vc(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1], sh = v[s], sl = v[s + 1];
        long hi = 0, lo = 0;
        for (int i = 0; i < 16; i++) {
            int sel = (int) elem(sh, sl, 8, i);
            long x = elem(ah, al, 8, sel >>> 4) ^ elem(bh, bl, 8, sel & 15);
            if (i < 8) hi = (hi << 8) | x;
            else lo = (lo << 8) | x;
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vsldoi: bytes SHB .. SHB+15 of VRA:VRB. */
    private static int vsldoi(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w), shb = (w >>> 6) & 15;
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        long hi = 0, lo = 0;
        for (int i = 0; i < 16; i++) {
            long x = byteOf(ah, al, bh, bl, shb + i);
            if (i < 8) hi = (hi << 8) | x;
            else lo = (lo << 8) | x;
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** Bit {@code index} (0 the leftmost) of the quadword hi:lo. */
    private static long bitOf(long hi, long lo, int index) {
        return index < 64 ? (hi >>> (63 - index)) & 1 : (lo >>> (127 - index)) & 1;
    }

    /** vbpermq: bit i of a 16-bit field (right-justified in doubleword 0) = the bit of VRA that VRB.byte[i] names, 0 for an index of 128 or more. */
    private static int vbpermq(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long perm = 0;
        for (int i = 0; i < 16; i++) {
            int index = (int) elem(v[b], v[b + 1], 8, i);
            if (index < 128 && bitOf(v[a], v[a + 1], index) != 0) perm |= 0x8000 >>> i;
        }
        put(c, w, perm, 0);
        return Core.OK;
    }

    /** vbpermd: per doubleword k, bit j of its low byte = the bit of VRA.dword[k] that VRB.byte[8k+j] names (0 past 63). */
    private static int vbpermd(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long[] out = new long[2];
        for (int k = 0; k < 2; k++) {
            long src = v[a + k], sel = v[b + k];
            for (int j = 0; j < 8; j++) {
                int index = (int) elem(sel, 0, 8, j);
                if (index < 64 && ((src >>> (63 - index)) & 1) != 0) out[k] |= 0x80 >>> j;
            }
        }
        put(c, w, out[0], out[1]);
        return Core.OK;
    }

    /** The 128-bit value hi:lo shifted right by {@code n} bits (0..127), low 64 bits. */
    private static long shiftRight128(long hi, long lo, int n) {
        if (n == 0) return lo;
        if (n < 64) return (lo >>> n) | (hi << (64 - n));
        return hi >>> (n - 64);
    }

    /**
     * vextractu*: doubleword 0 of VRT = the {@code len} bytes of VRB from byte UIM,
     * zero-extended; doubleword 1 = 0. (UIM > 16 - len is undefined in the ISA; the bytes past 15
     * read as 0 here.)
     */
    private static int extract(Core c, int w, int len) {
        long[] v = c.vs.vsr;
        int b = vb(w), uim = (w >>> 16) & 15;
        long r = 0;
        for (int i = 0; i < len; i++) {
            int k = uim + i;
            r = (r << 8) | (k < 16 ? elem(v[b], v[b + 1], 8, k) : 0);
        }
        put(c, w, r, 0);
        return Core.OK;
    }

    /** vinsert*: bytes UIM .. UIM+len-1 of VRT = the rightmost {@code len} bytes of VRB's doubleword 0; the rest of VRT kept. */
    private static int insert(Core c, int w, int len) {
        long[] v = c.vs.vsr;
        int t = vt(w), uim = (w >>> 16) & 15;
        long src = v[vb(w)];
        long hi = v[t], lo = v[t + 1];
        for (int i = 0; i < len && uim + i < 16; i++) {
            long x = (src >>> (8 * (len - 1 - i))) & 0xFF;
            int k = uim + i;
            if (k < 8) hi = with(hi, 8, k, x);
            else lo = with(lo, 8, k - 8, x);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /**
     * vextu[bhw]lx: RT = the element of VRB at byte RA[60:63] counted from the left; ...rx: from
     * the right (the element whose rightmost byte is 15 - RA[60:63]). Indexes that run past the
     * register are undefined in the ISA; here the missing bytes read as 0.
     */
    private static int extractToGpr(Core c, int w, int len, boolean left) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        int ra = (w >>> 16) & 31;
        int index = (int) c.gpr[ra] & 15;
        int bits = 8 * len;
        int shift = left ? 128 - 8 * index - bits : 8 * index;
        long r;
        if (shift >= 0) {
            r = shiftRight128(v[b], v[b + 1], shift) & mask(bits);
        } else {
            r = (v[b + 1] << -shift) & mask(bits);
        }
        c.gpr[FixedPoint.rt(w)] = r;
        return Core.OK;
    }
}
