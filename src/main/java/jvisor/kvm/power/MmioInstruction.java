package jvisor.kvm.power;

import jvisor.hw.power.cpu.LoadStoreForm;

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
     * Decodes {@code word} as the core does ({@link LoadStoreForm}); null if it is not a load or
     * store jvisor can emulate on MMIO: load/store multiple and string, quadword, atomics, cache
     * operations, vector and the FPR word and pair forms are not (KVM does not emulate them either,
     * and the guest gets the fault instead), nor is an invalid form.
     */
    public static MmioInstruction decode(int word) {
        LoadStoreForm f = LoadStoreForm.decode(word);
        if (f == null) {
            return null;
        }
        return new MmioInstruction(f.store(), f.length(), f.algebraic(), f.byteReversed(), f.update(),
                f.floatingPoint(), f.single(), LoadStoreForm.register(word), LoadStoreForm.ra(word));
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
