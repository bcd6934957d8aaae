package jvisor.hw.power.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The vector-scalar facility (VSX, ISA 3.0B Book I chapter 7): every family's declarations and
 * what the families share, the register fields of the XX forms and the quadword helpers.
 *
 * <p>A VSX register operand is 6 bits: a 5-bit field plus an extension bit elsewhere in the word
 * (TX, AX, BX, CX, SX). The helpers here return the index of doubleword 0 of the named VSR in
 * {@link VectorScalarRegisters#vsr}. Each declaration's fixed bits are those of the table of valid
 * POWER9 encodings ({@link VectorScalarEncodings}) with the facility-choosing operand bit left
 * free, so the two tables cannot disagree on an opcode; the table decides the facility.
 */
final class VsxInstructions {
    private VsxInstructions() {
    }

    /** Every VSX declaration. */
    static final List<InstructionSpec> SPECS = all();

    private static List<InstructionSpec> all() {
        List<InstructionSpec> all = new ArrayList<>();
        all.addAll(VsxLoadStore.SPECS);
        all.addAll(VsxMove.SPECS);
        all.addAll(VsxPermute.SPECS);
        all.addAll(VsxScalar.SPECS);
        all.addAll(VsxFused.SPECS);
        all.addAll(VsxVector.SPECS);
        all.addAll(VsxCompare.SPECS);
        all.addAll(VsxRound.SPECS);
        all.addAll(VsxClass.SPECS);
        all.addAll(VsxConvert.SPECS);
        all.addAll(VsxQuad.SPECS);
        return List.copyOf(all);
    }

    /**
     * The declaration of {@code mnemonic}: its encoding is the bits every pattern of that mnemonic
     * in the table of valid encodings fixes to the same value (a bit that picks the facility, fixed
     * differently in two patterns, stays free).
     */
    static InstructionSpec vsx(String mnemonic, InstructionSpec.Body body) {
        int mask = 0, match = 0;
        boolean found = false;
        for (InstructionSpec e : VectorScalarEncodings.named(mnemonic)) {
            if (!found) {
                mask = e.encoding().mask();
                match = e.encoding().match();
                found = true;
            } else {
                mask &= e.encoding().mask() & ~(match ^ e.encoding().match());
                match &= mask;
            }
        }
        if (!found) throw new IllegalArgumentException("no POWER9 encoding for " + mnemonic);
        return new InstructionSpec(mnemonic, new Encoding(match & mask, mask), Facility.VSX, body);
    }

    // ---- fields: the index of doubleword 0 of the named VSR in VectorScalarRegisters.vsr ----

    /** XT of the XX1..XX4 forms and the X-form loads: T (bits 6:10) + 32 * TX (bit 31). */
    static int xt(int w) {
        return 2 * (((w >>> 21) & 31) | (w & 1) << 5);
    }

    /** XA: A (bits 11:15) + 32 * AX (bit 29). */
    static int xa(int w) {
        return 2 * (((w >>> 16) & 31) | ((w >>> 2) & 1) << 5);
    }

    /** XB: B (bits 16:20) + 32 * BX (bit 30). */
    static int xb(int w) {
        return 2 * (((w >>> 11) & 31) | ((w >>> 1) & 1) << 5);
    }

    /** XC of XX4 (xxsel): C (bits 21:25) + 32 * CX (bit 28). */
    static int xc(int w) {
        return 2 * (((w >>> 6) & 31) | ((w >>> 3) & 1) << 5);
    }

    /** XT of the DQ-form lxv/stxv: T (bits 6:10) + 32 * TX (bit 28). */
    static int xtDq(int w) {
        return 2 * (((w >>> 21) & 31) | ((w >>> 3) & 1) << 5);
    }

    /** VRT of the DS-form lxsd/lxssp/stxsd/stxssp: VSR 32 + VRT. */
    static int vrtDs(int w) {
        return 2 * (32 + ((w >>> 21) & 31));
    }

    static void put(Core c, int t, long hi, long lo) {
        long[] v = c.vs.vsr;
        v[t] = hi;
        v[t + 1] = lo;
    }
}
