package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VsxInstructions.put;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xa;
import static jvisor.hw.power.cpu.VsxInstructions.xb;
import static jvisor.hw.power.cpu.VsxInstructions.xc;
import static jvisor.hw.power.cpu.VsxInstructions.xt;

import java.util.List;

/**
 * VSX logical, permute, merge, splat, byte-reverse, insert and extract instructions (ISA 3.0B
 * Book I 7.6.1.8 - 7.6.1.10 and the 3.0 additions). Every body reads all its sources before it
 * writes XT, since XT may be one of them. Bytes, halfwords and words are numbered from the left,
 * as everywhere in the register file.
 */
final class VsxPermute {
    private VsxPermute() {
    }

    @FunctionalInterface
    private interface Logical {
        long apply(long a, long b);
    }

    static final List<InstructionSpec> SPECS = List.of(
            vsx("xxland", (c, w) -> logical(c, w, (a, b) -> a & b)),
            vsx("xxlandc", (c, w) -> logical(c, w, (a, b) -> a & ~b)),
            vsx("xxlor", (c, w) -> logical(c, w, (a, b) -> a | b)),
            vsx("xxlorc", (c, w) -> logical(c, w, (a, b) -> a | ~b)),
            vsx("xxlnor", (c, w) -> logical(c, w, (a, b) -> ~(a | b))),
            vsx("xxlnand", (c, w) -> logical(c, w, (a, b) -> ~(a & b))),
            vsx("xxleqv", (c, w) -> logical(c, w, (a, b) -> ~(a ^ b))),
            vsx("xxlxor", (c, w) -> logical(c, w, (a, b) -> a ^ b)),
            vsx("xxsel", VsxPermute::xxsel),
            vsx("xxpermdi", VsxPermute::xxpermdi),
            vsx("xxmrghw", (c, w) -> merge(c, w, 0)),
            vsx("xxmrglw", (c, w) -> merge(c, w, 2)),
            vsx("xxsldwi", VsxPermute::xxsldwi),
            vsx("xxspltw", VsxPermute::xxspltw),
            vsx("xxspltib", VsxPermute::xxspltib),
            vsx("xxperm", (c, w) -> permute(c, w, false)),
            vsx("xxpermr", (c, w) -> permute(c, w, true)),
            vsx("xxbrh", (c, w) -> byteReverse(c, w, 2)),
            vsx("xxbrw", (c, w) -> byteReverse(c, w, 4)),
            vsx("xxbrd", (c, w) -> byteReverse(c, w, 8)),
            vsx("xxbrq", (c, w) -> byteReverse(c, w, 16)),
            vsx("xxinsertw", VsxPermute::xxinsertw),
            vsx("xxextractuw", VsxPermute::xxextractuw));

    private static int logical(Core c, int w, Logical f) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        put(c, xt(w), f.apply(v[a], v[b]), f.apply(v[a + 1], v[b + 1]));
        return Core.OK;
    }

    /** xxsel: each bit from XB where XC has a one, from XA elsewhere. */
    static int xxsel(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w), m = xc(w);
        put(c, xt(w), (v[a] & ~v[m]) | (v[b] & v[m]), (v[a + 1] & ~v[m + 1]) | (v[b + 1] & v[m + 1]));
        return Core.OK;
    }

    /** xxpermdi: doubleword DM[0] of XA, then doubleword DM[1] of XB (DM is bits 22:23). */
    static int xxpermdi(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        put(c, xt(w), v[a + ((w >>> 9) & 1)], v[b + ((w >>> 8) & 1)]);
        return Core.OK;
    }

    /** Word {@code i} (0-3) of VSR index {@code r}, zero-extended. */
    private static long word(long[] v, int r, int i) {
        long d = v[r + (i >>> 1)];
        return (i & 1) == 0 ? d >>> 32 : d & 0xFFFF_FFFFL;
    }

    /** xxmrghw / xxmrglw: words first, first+1 of XA and XB interleaved, XA's first. */
    private static int merge(Core c, int w, int first) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        long hi = word(v, a, first) << 32 | word(v, b, first);
        long lo = word(v, a, first + 1) << 32 | word(v, b, first + 1);
        put(c, xt(w), hi, lo);
        return Core.OK;
    }

    /** xxsldwi: words SHW..SHW+3 of the eight words XA || XB (SHW is bits 22:23). */
    static int xxsldwi(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w), shw = (w >>> 8) & 3;
        long[] words = new long[4];
        for (int i = 0; i < 4; i++) {
            int j = shw + i;
            words[i] = j < 4 ? word(v, a, j) : word(v, b, j - 4);
        }
        put(c, xt(w), words[0] << 32 | words[1], words[2] << 32 | words[3]);
        return Core.OK;
    }

    /** xxspltw: word UIM (bits 14:15) of XB into every word. */
    static int xxspltw(Core c, int w) {
        long x = word(c.vs.vsr, xb(w), (w >>> 16) & 3);
        long d = x << 32 | x;
        put(c, xt(w), d, d);
        return Core.OK;
    }

    /** xxspltib: IMM8 (bits 13:20) into every byte. */
    static int xxspltib(Core c, int w) {
        long d = ((w >>> 11) & 0xFFL) * 0x0101_0101_0101_0101L;
        put(c, xt(w), d, d);
        return Core.OK;
    }

    private static int byteOf(long hi, long lo, int i) {
        return (int) ((i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8))) & 0xFF);
    }

    /**
     * xxperm / xxpermr: byte i of XT is byte (XB.byte[i] & 31) of the 32 bytes XA || XT (xxpermr:
     * byte 31 minus that index), XT read before it is written.
     */
    private static int permute(Core c, int w, boolean reverse) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w), t = xt(w);
        long ah = v[a], al = v[a + 1], th = v[t], tl = v[t + 1], bh = v[b], bl = v[b + 1];
        long hi = 0, lo = 0;
        for (int i = 0; i < 16; i++) {
            int k = byteOf(bh, bl, i) & 31;
            if (reverse) k = 31 - k;
            long x = k < 16 ? byteOf(ah, al, k) : byteOf(th, tl, k - 16);
            if (i < 8) hi |= x << (56 - 8 * i);
            else lo |= x << (56 - 8 * (i - 8));
        }
        put(c, t, hi, lo);
        return Core.OK;
    }

    /** xxbrh / xxbrw / xxbrd / xxbrq: the bytes of each element of XB reversed. */
    private static int byteReverse(Core c, int w, int size) {
        long[] v = c.vs.vsr;
        int b = xb(w);
        long hi = v[b], lo = v[b + 1];
        if (size == 16) {
            put(c, xt(w), Long.reverseBytes(lo), Long.reverseBytes(hi));
        } else {
            put(c, xt(w), VsxLoadStore.reverseWithin(hi, size), VsxLoadStore.reverseWithin(lo, size));
        }
        return Core.OK;
    }

    /**
     * xxinsertw: word 1 of XB into bytes UIM..UIM+3 (UIM is bits 12:15) of XT, the other bytes kept.
     * The ISA leaves UIM > 12 undefined; like QEMU, the bytes that would fall past byte 15 are dropped.
     */
    static int xxinsertw(Core c, int w) {
        long[] v = c.vs.vsr;
        int t = xt(w), uim = (w >>> 16) & 15;
        long x = v[xb(w)] & 0xFFFF_FFFFL;
        long hi = v[t], lo = v[t + 1];
        for (int i = 0; i < 4 && uim + i < 16; i++) {
            int at = uim + i;
            long b = (x >>> (24 - 8 * i)) & 0xFF;
            if (at < 8) hi = (hi & ~(0xFFL << (56 - 8 * at))) | b << (56 - 8 * at);
            else lo = (lo & ~(0xFFL << (56 - 8 * (at - 8)))) | b << (56 - 8 * (at - 8));
        }
        put(c, t, hi, lo);
        return Core.OK;
    }

    /**
     * xxextractuw: bytes UIM..UIM+3 of XB as the zero-extended doubleword 0 of XT, doubleword 1
     * zero. The ISA leaves UIM > 12 undefined; like QEMU, byte indexes wrap modulo 16.
     */
    static int xxextractuw(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = xb(w), uim = (w >>> 16) & 15;
        long hi = v[b], lo = v[b + 1], x = 0;
        for (int i = 0; i < 4; i++) x = x << 8 | byteOf(hi, lo, (uim + i) & 15);
        put(c, xt(w), x, 0);
        return Core.OK;
    }
}
