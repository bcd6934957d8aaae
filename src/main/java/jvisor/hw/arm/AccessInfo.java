package jvisor.hw.arm;

/**
 * What the faulting instruction was, packed in an {@code int}, so the hardware can fill the ISV
 * fields of a data abort without decoding anything and without allocating: size as log2 bytes
 * (bits 1:0), Rt (bits 6:2), sign extension (bit 7), 64-bit register (bit 8), whether the
 * syndrome may describe it (bit 9: a single-register load or store without writeback, as the
 * architecture requires for ISV), acquire/release (bit 10).
 */
public final class AccessInfo {
    private AccessInfo() {}

    private static final int RT_SHIFT = 2, SSE = 1 << 7, SF = 1 << 8, VALID = 1 << 9, AR = 1 << 10;

    /** A single-register load or store (LDR/STR and their sized forms): ISV will be set. */
    public static int single(int sizeLog2, int rt, boolean signExtend, boolean sixtyFourBit) {
        int v = (sizeLog2 & 3) | ((rt & 0x1F) << RT_SHIFT) | VALID;
        if (signExtend) v |= SSE;
        if (sixtyFourBit) v |= SF;
        return v;
    }

    /** An access the syndrome cannot describe (load/store pair, writeback, SIMD...): ISV will be clear. */
    public static int noSyndrome(int sizeLog2) {
        return sizeLog2 & 3;
    }

    /** An instruction fetch (4 bytes). */
    public static final int FETCH = 2;

    public static int sizeLog2(int info) {
        return info & 3;
    }

    public static int bytes(int info) {
        return 1 << (info & 3);
    }

    public static int register(int info) {
        return (info >>> RT_SHIFT) & 0x1F;
    }

    public static boolean signExtend(int info) {
        return (info & SSE) != 0;
    }

    public static boolean sixtyFourBit(int info) {
        return (info & SF) != 0;
    }

    public static boolean syndromeValid(int info) {
        return (info & VALID) != 0;
    }

    public static boolean acquireRelease(int info) {
        return (info & AR) != 0;
    }
}
