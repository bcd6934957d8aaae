package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorInstructions.elem;
import static jvisor.hw.power.cpu.VectorInstructions.put;
import static jvisor.hw.power.cpu.VectorInstructions.spec;
import static jvisor.hw.power.cpu.VectorInstructions.va;
import static jvisor.hw.power.cpu.VectorInstructions.vb;
import static jvisor.hw.power.cpu.VectorInstructions.with;

import java.util.List;

/**
 * The cryptography helpers (ISA 3.0B Book I 6.11): one AES round forward and inverse
 * (FIPS-197; the state is VRA's 16 bytes in column order, byte 4c+r being row r of column c),
 * the AES S-box, the SHA-256/SHA-512 sigma functions, and carry-less multiply-sum.
 */
final class VectorCrypto {
    private VectorCrypto() {
    }

    private static InstructionSpec vx(String m, int xo, InstructionSpec.Body b) {
        return spec(m, Encoding.vx(4, xo), b);
    }

    static final List<InstructionSpec> SPECS = List.of(
            vx("vcipher", 1288, (c, w) -> cipher(c, w, false, true)),
            vx("vcipherlast", 1289, (c, w) -> cipher(c, w, false, false)),
            vx("vncipher", 1352, (c, w) -> cipher(c, w, true, true)),
            vx("vncipherlast", 1353, (c, w) -> cipher(c, w, true, false)),
            vx("vsbox", 1480, VectorCrypto::vsbox),
            vx("vshasigmaw", 1666, VectorCrypto::vshasigmaw),
            vx("vshasigmad", 1730, VectorCrypto::vshasigmad),
            vx("vpmsumb", 1032, (c, w) -> polynomialMultiplySum(c, w, 8)),
            vx("vpmsumh", 1096, (c, w) -> polynomialMultiplySum(c, w, 16)),
            vx("vpmsumw", 1160, (c, w) -> polynomialMultiplySum(c, w, 32)),
            vx("vpmsumd", 1224, VectorCrypto::vpmsumd));

    static final int[] SBOX = new int[256], INV_SBOX = new int[256];

    static {
        // The S-box from its definition: the multiplicative inverse in GF(2^8) followed by the
        // affine transformation with constant 0x63.
        for (int x = 0; x < 256; x++) {
            int inv = 0;
            if (x != 0) {
                for (int y = 1; y < 256; y++) {
                    if (gmul(x, y) == 1) {
                        inv = y;
                        break;
                    }
                }
            }
            int s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
            SBOX[x] = s;
            INV_SBOX[s] = x;
        }
    }

    private static int rotl8(int x, int n) {
        return ((x << n) | (x >>> (8 - n))) & 0xFF;
    }

    /** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
    static int gmul(int a, int b) {
        int p = 0;
        for (int i = 0; i < 8; i++) {
            if ((b & 1) != 0) p ^= a;
            boolean high = (a & 0x80) != 0;
            a = (a << 1) & 0xFF;
            if (high) a ^= 0x1B;
            b >>>= 1;
        }
        return p;
    }

    private static int[] bytes(long hi, long lo) {
        int[] s = new int[16];
        for (int i = 0; i < 16; i++) s[i] = (int) elem(hi, lo, 8, i);
        return s;
    }

    private static void putBytes(Core c, int w, int[] s) {
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | s[i];
            lo = (lo << 8) | s[i + 8];
        }
        put(c, w, hi, lo);
    }

    /**
     * vcipher: SubBytes, ShiftRows, MixColumns, then XOR VRB (the round key); vcipherlast
     * without MixColumns. vncipher: InvShiftRows, InvSubBytes, XOR VRB, then InvMixColumns;
     * vncipherlast without InvMixColumns.
     */
    private static int cipher(Core c, int w, boolean inverse, boolean mix) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        int[] s = bytes(v[a], v[a + 1]), key = bytes(v[b], v[b + 1]);
        int[] t = new int[16];
        for (int col = 0; col < 4; col++) {
            for (int row = 0; row < 4; row++) {
                int from = inverse ? (col - row + 4) % 4 : (col + row) % 4;
                int x = s[4 * from + row];
                t[4 * col + row] = inverse ? INV_SBOX[x] : SBOX[x];
            }
        }
        if (!inverse) {
            if (mix) t = mixColumns(t, 2, 3, 1, 1);
            for (int i = 0; i < 16; i++) t[i] ^= key[i];
        } else {
            for (int i = 0; i < 16; i++) t[i] ^= key[i];
            if (mix) t = mixColumns(t, 14, 11, 13, 9);
        }
        putBytes(c, w, t);
        return Core.OK;
    }

    /** Each column times the circulant matrix whose first row is (m0 m1 m2 m3). */
    private static int[] mixColumns(int[] s, int m0, int m1, int m2, int m3) {
        int[] r = new int[16];
        int[] m = {m0, m1, m2, m3};
        for (int col = 0; col < 4; col++) {
            for (int row = 0; row < 4; row++) {
                int x = 0;
                for (int k = 0; k < 4; k++) x ^= gmul(m[(k - row + 4) % 4], s[4 * col + k]);
                r[4 * col + row] = x;
            }
        }
        return r;
    }

    private static int vsbox(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w);
        int[] s = bytes(v[a], v[a + 1]);
        for (int i = 0; i < 16; i++) s[i] = SBOX[s[i]];
        putBytes(c, w, s);
        return Core.OK;
    }

    /** ST is bit 16 and SIX bits 17:20 of the instruction. */
    private static int st(int w) {
        return (w >>> 15) & 1;
    }

    private static int six(int w) {
        return (w >>> 11) & 15;
    }

    /** vshasigmaw: SHA-256's sigma0/sigma1 (ST=0) or Sigma0/Sigma1 (ST=1) of each word, chosen by SIX bit i. */
    private static int vshasigmaw(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), st = st(w), six = six(w);
        long hi = 0, lo = 0;
        for (int i = 0; i < 4; i++) {
            int x = (int) elem(v[a], v[a + 1], 32, i);
            boolean one = (six & (8 >>> i)) != 0;
            int r;
            if (st == 0) {
                r = one ? Integer.rotateRight(x, 17) ^ Integer.rotateRight(x, 19) ^ (x >>> 10)
                        : Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
            } else {
                r = one ? Integer.rotateRight(x, 6) ^ Integer.rotateRight(x, 11) ^ Integer.rotateRight(x, 25)
                        : Integer.rotateRight(x, 2) ^ Integer.rotateRight(x, 13) ^ Integer.rotateRight(x, 22);
            }
            if (i < 2) hi = with(hi, 32, i, r & 0xFFFF_FFFFL);
            else lo = with(lo, 32, i - 2, r & 0xFFFF_FFFFL);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vshasigmad: SHA-512's sigma functions of each doubleword, chosen by SIX bit 2i. */
    private static int vshasigmad(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), st = st(w), six = six(w);
        long[] r = new long[2];
        for (int i = 0; i < 2; i++) {
            long x = v[a + i];
            boolean one = (six & (8 >>> (2 * i))) != 0;
            if (st == 0) {
                r[i] = one ? Long.rotateRight(x, 19) ^ Long.rotateRight(x, 61) ^ (x >>> 6)
                        : Long.rotateRight(x, 1) ^ Long.rotateRight(x, 8) ^ (x >>> 7);
            } else {
                r[i] = one ? Long.rotateRight(x, 14) ^ Long.rotateRight(x, 18) ^ Long.rotateRight(x, 41)
                        : Long.rotateRight(x, 28) ^ Long.rotateRight(x, 34) ^ Long.rotateRight(x, 39);
            }
        }
        put(c, w, r[0], r[1]);
        return Core.OK;
    }

    /** Carry-less product of two elements of at most 32 bits. */
    private static long clmul(long a, long b) {
        long p = 0;
        for (int i = 0; i < 32; i++) {
            if (((a >>> i) & 1) != 0) p ^= b << i;
        }
        return p;
    }

    /** vpmsumb/h/w: each double-width element = clmul(even pair) ^ clmul(odd pair). */
    private static int polynomialMultiplySum(Core c, int w, int bits) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        long hi = 0, lo = 0;
        int n = 128 / bits;
        for (int k = 0; k < n / 2; k++) {
            long p = clmul(elem(ah, al, bits, 2 * k), elem(bh, bl, bits, 2 * k))
                    ^ clmul(elem(ah, al, bits, 2 * k + 1), elem(bh, bl, bits, 2 * k + 1));
            if (k < n / 4) hi = with(hi, 2 * bits, k, p);
            else lo = with(lo, 2 * bits, k - n / 4, p);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    /** vpmsumd: the 128-bit clmul(VRA.dw0, VRB.dw0) ^ clmul(VRA.dw1, VRB.dw1). */
    private static int vpmsumd(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long hi = 0, lo = 0;
        for (int k = 0; k < 2; k++) {
            long x = v[a + k], y = v[b + k];
            for (int i = 0; i < 64; i++) {
                if (((x >>> i) & 1) != 0) {
                    lo ^= y << i;
                    if (i != 0) hi ^= y >>> (64 - i);
                }
            }
        }
        put(c, w, hi, lo);
        return Core.OK;
    }
}
