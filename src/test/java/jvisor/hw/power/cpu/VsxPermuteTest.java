package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * VSX logical, permute, splat, byte-reverse, insert and extract instructions (ISA 3.0B 7.6.1).
 * VSR 1 holds the bytes 00..0f, VSR 34 (VR 2, reached through the AX/BX bits) 10..1f and VSR 3
 * 20..2f; the expected values follow the ISA's byte numbering.
 */
class VsxPermuteTest {
    private static TestMachine machine() {
        TestMachine m = VsxLoadStoreMoveTest.machine(false);
        m.core.vectorScalar().set(1, 0x0001020304050607L, 0x08090a0b0c0d0e0fL);
        m.core.vectorScalar().set(34, 0x1011121314151617L, 0x18191a1b1c1d1e1fL);
        m.core.vectorScalar().set(3, 0x2021222324252627L, 0x28292a2b2c2d2e2fL);
        return m;
    }

    /** An opcode-60 word: {@code base} holds the extended opcode and any immediate; t, a, b are 6-bit VSR numbers. */
    private static int xx(int base, int t, int a, int b) {
        return (60 << 26) | base | (t & 31) << 21 | (a & 31) << 16 | (b & 31) << 11 | (a >>> 5) << 2 | (b >>> 5) << 1 | t >>> 5;
    }

    private static void check(int word, long hi, long lo) {
        TestMachine m = machine();
        m.exec(word);
        int t = ((word >>> 21) & 31) | (word & 1) << 5;
        assertEquals(Long.toHexString(hi), Long.toHexString(VsxLoadStoreMoveTest.hi(m, t)), Integer.toHexString(word) + " dw0");
        assertEquals(Long.toHexString(lo), Long.toHexString(VsxLoadStoreMoveTest.lo(m, t)), Integer.toHexString(word) + " dw1");
    }

    private static final long A0 = 0x0001020304050607L, A1 = 0x08090a0b0c0d0e0fL, B0 = 0x1011121314151617L,
            B1 = 0x18191a1b1c1d1e1fL;

    @Test
    void logical() {
        check(xx(0x410, 40, 1, 34), A0 & B0, A1 & B1);      // xxland
        check(xx(0x450, 40, 1, 34), A0 & ~B0, A1 & ~B1);    // xxlandc
        check(xx(0x490, 40, 1, 34), A0 | B0, A1 | B1);      // xxlor
        check(xx(0x550, 40, 1, 34), A0 | ~B0, A1 | ~B1);    // xxlorc
        check(xx(0x510, 40, 1, 34), ~(A0 | B0), ~(A1 | B1)); // xxlnor
        check(xx(0x590, 40, 1, 34), ~(A0 & B0), ~(A1 & B1)); // xxlnand
        check(xx(0x5d0, 40, 1, 34), ~(A0 ^ B0), ~(A1 ^ B1)); // xxleqv
        check(xx(0x4d0, 40, 1, 34), A0 ^ B0, A1 ^ B1);      // xxlxor
        check(xx(0x4d0, 1, 1, 1), 0, 0);                    // xxlxor x,x,x: zero
    }

    @Test
    void xxselTakesXbWhereXcIsOne() {
        TestMachine m = machine();
        m.core.vectorScalar().set(5, 0xFFFF_FFFF_0000_0000L, 0x0000_0000_FFFF_FFFFL);
        m.exec(xx(0x30, 40, 1, 34) | 5 << 6);
        assertEquals(0x1011121304050607L, VsxLoadStoreMoveTest.hi(m, 40));
        assertEquals(0x08090a0b1c1d1e1fL, VsxLoadStoreMoveTest.lo(m, 40));
    }

    @Test
    void permuteDoublewordsMergeAndShiftWords() {
        check(xx(0x50 | 2 << 8, 40, 1, 34), A1, B0);                         // xxpermdi DM=2
        check(xx(0x50 | 1 << 8, 40, 1, 34), A0, B1);                         // xxpermdi DM=1
        check(xx(0x50 | 2 << 8, 1, 1, 1), A1, A0);                           // xxswapd
        check(xx(0x10 | 1 << 8, 40, 1, 34), 0x0405060708090a0bL, 0x0c0d0e0f10111213L); // xxsldwi SHW=1
        check(xx(0x10 | 3 << 8, 40, 1, 34), 0x0c0d0e0f10111213L, 0x1415161718191a1bL); // xxsldwi SHW=3
        check(xx(0x90, 40, 1, 34), 0x0001020310111213L, 0x0405060714151617L); // xxmrghw
        check(xx(0x190, 40, 1, 34), 0x08090a0b18191a1bL, 0x0c0d0e0f1c1d1e1fL); // xxmrglw
    }

    @Test
    void splats() {
        check(xx(0x290 | 3 << 16, 40, 0, 34), 0x1c1d1e1f1c1d1e1fL, 0x1c1d1e1f1c1d1e1fL); // xxspltw UIM=3
        check(xx(0x2d0 | 0xA5 << 11, 63, 0, 0), 0xA5A5A5A5A5A5A5A5L, 0xA5A5A5A5A5A5A5A5L); // xxspltib
    }

    @Test
    void xxpermIndexesXaThenXtAndXxpermrFromTheRight() {
        TestMachine m = machine();
        m.core.vectorScalar().set(4, 0xFF1e1d1c1b1a1918L, 0x0706050403020100L);
        m.exec(xx(0xd0, 3, 1, 4));
        assertEquals(0x2f2e2d2c2b2a2928L, VsxLoadStoreMoveTest.hi(m, 3));
        assertEquals(0x0706050403020100L, VsxLoadStoreMoveTest.lo(m, 3));
        m = machine();
        m.core.vectorScalar().set(4, 0xFF1e1d1c1b1a1918L, 0x0706050403020100L);
        m.exec(xx(0x1d0, 3, 1, 4));
        assertEquals(0x0001020304050607L, VsxLoadStoreMoveTest.hi(m, 3));
        assertEquals(0x28292a2b2c2d2e2fL, VsxLoadStoreMoveTest.lo(m, 3));
    }

    @Test
    void byteReverses() {
        check(xx(0x7076c, 40, 0, 1), 0x0100030205040706L, 0x09080b0a0d0c0f0eL);  // xxbrh
        check(xx(0xf076c, 40, 0, 1), 0x0302010007060504L, 0x0b0a09080f0e0d0cL);  // xxbrw
        check(xx(0x17076c, 40, 0, 1), 0x0706050403020100L, 0x0f0e0d0c0b0a0908L); // xxbrd
        check(xx(0x1f076c, 40, 0, 1), 0x0f0e0d0c0b0a0908L, 0x0706050403020100L); // xxbrq
    }

    @Test
    void insertAndExtractWords() {
        check(xx(0x2d4 | 6 << 16, 3, 0, 34), 0x2021222324251415L, 0x16172a2b2c2d2e2fL);  // xxinsertw UIM=6
        check(xx(0x2d4 | 14 << 16, 3, 0, 34), 0x2021222324252627L, 0x28292a2b2c2d1415L); // UIM=14: QEMU's truncation
        check(xx(0x294 | 5 << 16, 40, 0, 1), 0x05060708L, 0);                           // xxextractuw UIM=5
        check(xx(0x294 | 14 << 16, 40, 0, 1), 0x0e0f0001L, 0);                          // UIM=14 wraps
    }
}
