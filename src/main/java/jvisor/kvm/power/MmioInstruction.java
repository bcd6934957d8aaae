package jvisor.kvm.power;

/**
 * A load or store instruction decoded for MMIO emulation (KVM's emulate_loadstore): what the
 * hypervisor needs to turn a partition-scoped fault on device memory into an MMIO exit and,
 * for a load, to complete it when user space answers.
 *
 * @param store        a store (the data comes from a register) or a load
 * @param length       bytes accessed: 1, 2, 4 or 8
 * @param signExtend   an algebraic load (lha, lwa): the value is sign-extended into the register
 * @param byteReversed the byte-reverse forms (lhbrx, stwbrx, ...): opposite byte order to MSR[LE]
 * @param update       the update forms: RA receives the effective address
 * @param floating     an FPR target or source (lfs, stfd, ...)
 * @param single       a single-precision FP access (4 bytes in memory, a double in the register)
 * @param rt           RT/RS/FRT/FRS register number
 * @param ra           RA register number
 */
public record MmioInstruction(boolean store, int length, boolean signExtend, boolean byteReversed, boolean update,
                              boolean floating, boolean single, int rt, int ra) {

    /**
     * Decodes {@code word}; null if it is not a load or store jvisor can emulate on MMIO (load/store
     * multiple and string, atomics and cache operations are not: KVM does not emulate them either,
     * and the guest gets the fault instead).
     */
    public static MmioInstruction decode(int word) {
        int op = word >>> 26;
        int rt = (word >>> 21) & 31;
        int ra = (word >>> 16) & 31;
        return switch (op) {
            case 32 -> load(4, false, false, rt, ra);            // lwz
            case 33 -> load(4, false, true, rt, ra);             // lwzu
            case 34 -> load(1, false, false, rt, ra);            // lbz
            case 35 -> load(1, false, true, rt, ra);             // lbzu
            case 36 -> store(4, false, rt, ra);                  // stw
            case 37 -> store(4, true, rt, ra);                   // stwu
            case 38 -> store(1, false, rt, ra);                  // stb
            case 39 -> store(1, true, rt, ra);                   // stbu
            case 40 -> load(2, false, false, rt, ra);            // lhz
            case 41 -> load(2, false, true, rt, ra);             // lhzu
            case 42 -> load(2, true, false, rt, ra);             // lha
            case 43 -> load(2, true, true, rt, ra);              // lhau
            case 44 -> store(2, false, rt, ra);                  // sth
            case 45 -> store(2, true, rt, ra);                   // sthu
            case 48, 49 -> fp(false, 4, op == 49, rt, ra);       // lfs, lfsu
            case 50, 51 -> fp(false, 8, op == 51, rt, ra);       // lfd, lfdu
            case 52, 53 -> fp(true, 4, op == 53, rt, ra);        // stfs, stfsu
            case 54, 55 -> fp(true, 8, op == 55, rt, ra);        // stfd, stfdu
            case 58 -> switch (word & 3) {
                case 0 -> load(8, false, false, rt, ra);         // ld
                case 1 -> load(8, false, true, rt, ra);          // ldu
                case 2 -> load(4, true, false, rt, ra);          // lwa
                default -> null;
            };
            case 62 -> switch (word & 3) {
                case 0 -> store(8, false, rt, ra);               // std
                case 1 -> store(8, true, rt, ra);                // stdu
                default -> null;
            };
            case 31 -> indexed((word >>> 1) & 0x3FF, rt, ra);
            default -> null;
        };
    }

    private static MmioInstruction indexed(int xo, int rt, int ra) {
        return switch (xo) {
            case 23 -> load(4, false, false, rt, ra);            // lwzx
            case 55 -> load(4, false, true, rt, ra);             // lwzux
            case 87 -> load(1, false, false, rt, ra);            // lbzx
            case 119 -> load(1, false, true, rt, ra);            // lbzux
            case 279 -> load(2, false, false, rt, ra);           // lhzx
            case 311 -> load(2, false, true, rt, ra);            // lhzux
            case 343 -> load(2, true, false, rt, ra);            // lhax
            case 375 -> load(2, true, true, rt, ra);             // lhaux
            case 341 -> load(4, true, false, rt, ra);            // lwax
            case 373 -> load(4, true, true, rt, ra);             // lwaux
            case 21 -> load(8, false, false, rt, ra);            // ldx
            case 53 -> load(8, false, true, rt, ra);             // ldux
            case 151 -> store(4, false, rt, ra);                 // stwx
            case 183 -> store(4, true, rt, ra);                  // stwux
            case 215 -> store(1, false, rt, ra);                 // stbx
            case 247 -> store(1, true, rt, ra);                  // stbux
            case 407 -> store(2, false, rt, ra);                 // sthx
            case 439 -> store(2, true, rt, ra);                  // sthux
            case 149 -> store(8, false, rt, ra);                 // stdx
            case 181 -> store(8, true, rt, ra);                  // stdux
            case 790 -> reversed(false, 2, rt, ra);              // lhbrx
            case 534 -> reversed(false, 4, rt, ra);              // lwbrx
            case 532 -> reversed(false, 8, rt, ra);              // ldbrx
            case 918 -> reversed(true, 2, rt, ra);               // sthbrx
            case 662 -> reversed(true, 4, rt, ra);               // stwbrx
            case 660 -> reversed(true, 8, rt, ra);               // stdbrx
            case 535, 567 -> fp(false, 4, xo == 567, rt, ra);    // lfsx, lfsux
            case 599, 631 -> fp(false, 8, xo == 631, rt, ra);    // lfdx, lfdux
            case 663, 695 -> fp(true, 4, xo == 695, rt, ra);     // stfsx, stfsux
            case 727, 759 -> fp(true, 8, xo == 759, rt, ra);     // stfdx, stfdux
            default -> null;
        };
    }

    private static MmioInstruction load(int len, boolean sign, boolean update, int rt, int ra) {
        return new MmioInstruction(false, len, sign, false, update, false, false, rt, ra);
    }

    private static MmioInstruction store(int len, boolean update, int rs, int ra) {
        return new MmioInstruction(true, len, false, false, update, false, false, rs, ra);
    }

    private static MmioInstruction reversed(boolean store, int len, int rt, int ra) {
        return new MmioInstruction(store, len, false, true, false, false, false, rt, ra);
    }

    private static MmioInstruction fp(boolean store, int len, boolean update, int rt, int ra) {
        return new MmioInstruction(store, len, false, false, update, true, len == 4, rt, ra);
    }

    /** Whether the bytes go to memory big-endian: MSR[LE]=0, flipped by the byte-reverse forms. */
    public boolean bigEndian(boolean msrLittleEndian) {
        return msrLittleEndian == byteReversed;
    }

    /** The bytes a store puts in memory, in address order, from the low {@link #length} bytes of {@code value}. */
    public byte[] storeBytes(long value, boolean msrLittleEndian) {
        byte[] b = new byte[length];
        boolean be = bigEndian(msrLittleEndian);
        for (int i = 0; i < length; i++) {
            int shift = 8 * (be ? length - 1 - i : i);
            b[i] = (byte) (value >>> shift);
        }
        return b;
    }

    /** The register value a load produces from the bytes the device returned (address order). */
    public long loadValue(byte[] data, boolean msrLittleEndian) {
        boolean be = bigEndian(msrLittleEndian);
        long v = 0;
        for (int i = 0; i < length; i++) {
            long b = data[be ? i : length - 1 - i] & 0xFF;
            v = (v << 8) | b;
        }
        if (signExtend) {
            int shift = 64 - 8 * length;
            v = (v << shift) >> shift;
        }
        return v;
    }
}
